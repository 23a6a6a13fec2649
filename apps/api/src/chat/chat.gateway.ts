import type { IncomingMessage } from 'node:http';
import { Logger, UseFilters, UseGuards } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import {
  CloseCode,
  PROTOCOL_V1,
  DeleteSchema,
  EditSchema,
  HistoryRequestSchema,
  JoinSchema,
  LeaveSchema,
  PingSchema,
  PresenceListSchema,
  ReactSchema,
  ReadSchema,
  SendSchema,
  SimpleInSchema,
  TypingSchema,
  type Delete,
  type Edit,
  type HistoryRequest,
  type Join,
  type Leave,
  type Ping,
  type PresenceList,
  type React,
  type Read,
  type Send,
  type SimpleIn,
  type Typing,
} from '@chat/contracts';
import type { Gauge } from 'prom-client';
import { IdentityService, type Session } from '../auth/identity.service.js';
import { AppConfigService } from '../config/app-config.service.js';
import { UnauthorizedError } from '../common/errors/chat-errors.js';
import { WsErrorFilter } from '../ws/ws-error.filter.js';
import { WsIdentityGuard } from '../ws/ws-identity.guard.js';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { WsReadQuotaGuard } from '../quotas/ws-read-quota.guard.js';
import { RoomAccessGuard } from '../rooms/room-access.guard.js';
import type { ClientConnection } from '../ws/client-connection.js';
import { CHAT_GATEWAY, type CloseDetails, type ConnectionLifecycle } from '../ws/chat-ws-adapter.js';
import { reportError } from '../ws/report-error.js';
import { SIMPLE_PROTOCOL_EVENT, type WireProtocol } from '../ws/wire-protocol.js';
import { ChangeRequests } from './change-requests.js';
import { ChatConnections } from './chat-connections.js';
import { ChatService } from './chat.service.js';
import { HistoryPages } from './history-pages.js';
import { SendRequests } from './send-requests.js';

/**
 * The WebSocket endpoint: validates, authorizes and hands each frame to the service for it
 * ({@link ChatService} for rooms, {@link SendRequests}, {@link ChangeRequests} and
 * {@link HistoryPages}).
 * Connections start and end in {@link ChatGateway.opened} and {@link ChatGateway.closed}, which
 * ChatWsAdapter calls (see ConnectionLifecycle) instead of Nest's OnGatewayConnection route,
 * and hand them to {@link ChatConnections}.
 */
// Served on the path attachChatTransport is given (/ws by default), by the chat's own adapter.
@WebSocketGateway(CHAT_GATEWAY)
@UseFilters(WsErrorFilter)
@UseGuards(WsIdentityGuard)
export class ChatGateway implements ConnectionLifecycle {
  private readonly logger = new Logger(ChatGateway.name);
  /** Open/close lines are info: below that level they are not even put together (a storm of connects pays for each). */
  private readonly logsConnections: boolean;
  private readonly openConnections: Record<WireProtocol, Gauge.Internal<'protocol'>>;

  constructor(
    private readonly connections: ChatConnections,
    private readonly chat: ChatService,
    private readonly sends: SendRequests,
    private readonly changes: ChangeRequests,
    private readonly pages: HistoryPages,
    private readonly identity: IdentityService,
    metrics: MetricsService,
    config: AppConfigService,
  ) {
    this.logsConnections = ['info', 'debug', 'trace'].includes(config.get('LOG_LEVEL'));
    this.openConnections = {
      [PROTOCOL_V1]: metrics.openConnections.labels({ protocol: PROTOCOL_V1 }),
      simple: metrics.openConnections.labels({ protocol: 'simple' }),
    };
  }

  opened(connection: ClientConnection, request: IncomingMessage): void {
    this.openConnections[connection.protocol].inc();
    let session: Session | Promise<Session>;
    try {
      session = this.identity.fromUpgrade(request);
    } catch (error) {
      this.turnAway(connection, error);
      return;
    }
    if (!(session instanceof Promise)) {
      this.admit(connection, session);
      return;
    }
    // An account's token is checked against the store first. Until then the client's frames wait
    // in TCP (nothing may be handled without an identity), and nothing is sent to it.
    connection.socket.pause();
    session.then(
      (resolved) => {
        if (!connection.isOpen) return; // gone meanwhile: closed() had nothing to undo
        this.admit(connection, resolved);
        connection.socket.resume();
      },
      (error: unknown) => {
        // Reading again, or the client's answer to our close frame would wait until ws gives up.
        connection.socket.resume();
        this.turnAway(connection, error);
      },
    );
  }

  private admit(connection: ClientConnection, { user, version, tokenless }: Session): void {
    connection.authenticate(user, version, tokenless === true);
    if (this.logsConnections) this.logger.log({ msg: 'connection opened', ...this.describe(connection) });
    this.connections.connect(connection);
  }

  /** The upgrade was accepted so that the client can read why it is turned away. */
  private turnAway(connection: ClientConnection, error: unknown): void {
    const payload = reportError(connection, error);
    // A store that failed while checking the token is ours to fix: the client may retry.
    const code =
      error instanceof UnauthorizedError
        ? CloseCode.unauthorized
        : payload.code === 'unavailable'
          ? CloseCode.tryAgainLater
          : payload.code === 'internal'
            ? CloseCode.internalError
            : CloseCode.policyViolation;
    connection.close(code, payload.message.slice(0, 120));
  }

  closed(connection: ClientConnection, close: CloseDetails): void {
    this.openConnections[connection.protocol].dec();
    if (this.logsConnections) {
      this.logger.log({
        msg: 'connection closed',
        ...this.describe(connection),
        durationMs: Date.now() - connection.openedAt,
        closeCode: close.code,
      });
    }
    if (connection.isAuthenticated) this.connections.disconnect(connection);
  }

  /** What a connection's log lines say about it: never a token, never message text. */
  private describe(connection: ClientConnection) {
    return {
      connectionId: connection.id,
      userId: connection.isAuthenticated ? connection.user.id : undefined,
      protocol: connection.protocol,
      ip: connection.remoteAddress,
    };
  }

  // A join sends the room's page and presence list: one read, counted before the room is looked up
  // (a refused or repeated join costs the same), so a leave/join loop is held to the read quota.
  @SubscribeMessage('join')
  @UseGuards(WsReadQuotaGuard, RoomAccessGuard)
  join(
    @ConnectedSocket() connection: ClientConnection,
    @MessageBody(new ZodValidationPipe(JoinSchema)) data: Join,
  ) {
    return this.chat.join(connection, data);
  }

  @SubscribeMessage('leave')
  leave(
    @ConnectedSocket() connection: ClientConnection,
    @MessageBody(new ZodValidationPipe(LeaveSchema)) data: Leave,
  ) {
    return this.chat.leave(connection, data);
  }

  @SubscribeMessage('send')
  send(
    @ConnectedSocket() connection: ClientConnection,
    @MessageBody(new ZodValidationPipe(SendSchema)) data: Send,
  ) {
    return this.sends.send(connection, data);
  }

  // Messages that change: each answered with `ack` once logged (see docs/protocol.md).
  @SubscribeMessage('edit')
  edit(
    @ConnectedSocket() connection: ClientConnection,
    @MessageBody(new ZodValidationPipe(EditSchema)) data: Edit,
  ) {
    return this.changes.edit(connection, data);
  }

  @SubscribeMessage('delete')
  delete(
    @ConnectedSocket() connection: ClientConnection,
    @MessageBody(new ZodValidationPipe(DeleteSchema)) data: Delete,
  ) {
    return this.changes.delete(connection, data);
  }

  @SubscribeMessage('react')
  react(
    @ConnectedSocket() connection: ClientConnection,
    @MessageBody(new ZodValidationPipe(ReactSchema)) data: React,
  ) {
    return this.changes.react(connection, data);
  }

  @SubscribeMessage('history')
  @UseGuards(WsReadQuotaGuard)
  history(
    @ConnectedSocket() connection: ClientConnection,
    @MessageBody(new ZodValidationPipe(HistoryRequestSchema)) data: HistoryRequest,
  ) {
    return this.pages.history(connection, data);
  }

  @SubscribeMessage('typing')
  typing(
    @ConnectedSocket() connection: ClientConnection,
    @MessageBody(new ZodValidationPipe(TypingSchema)) data: Typing,
  ) {
    return this.chat.typing(connection, data);
  }

  @SubscribeMessage('read')
  read(
    @ConnectedSocket() connection: ClientConnection,
    @MessageBody(new ZodValidationPipe(ReadSchema)) data: Read,
  ) {
    return this.chat.read(connection, data);
  }

  @SubscribeMessage('ping')
  ping(
    @ConnectedSocket() connection: ClientConnection,
    @MessageBody(new ZodValidationPipe(PingSchema)) data: Ping,
  ) {
    return this.chat.ping(connection, data);
  }

  // Answered from memory, but the sorted copy is dropped at every presence change, so in a busy
  // big room each page sorts and scans the whole online list: metered as a read (redteam).
  @SubscribeMessage('presence.list')
  @UseGuards(WsReadQuotaGuard)
  presenceList(
    @ConnectedSocket() connection: ClientConnection,
    @MessageBody(new ZodValidationPipe(PresenceListSchema)) data: PresenceList,
  ) {
    return this.chat.presenceList(connection, data);
  }

  @SubscribeMessage(SIMPLE_PROTOCOL_EVENT)
  simple(
    @ConnectedSocket() connection: ClientConnection,
    @MessageBody(new ZodValidationPipe(SimpleInSchema)) data: SimpleIn,
  ) {
    return this.sends.sendSimple(connection, data);
  }
}
