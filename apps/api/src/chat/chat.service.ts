import { randomUUID } from 'node:crypto';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  DEFAULT_ROOM,
  HISTORY_DEFAULT_LIMIT,
  type HistoryRequest,
  type Join,
  type Leave,
  type Ping,
  type Send,
  type SimpleIn,
  type Typing,
  type ChatMessage,
  type Welcome,
  DisplayNameSchema,
} from '@chat/contracts';
import { BUS, type Bus, type BusEvent } from '../bus/bus.js';
import {
  BadRequestError,
  ClientIdReusedError,
  ForbiddenError,
  NotAMemberError,
  TooLargeError,
} from '../common/errors/chat-errors.js';
import { toErrorPayload } from '../common/errors/to-error-payload.js';
import { AppConfigService } from '../config/app-config.service.js';
import { frameBudgetConfig, maxServerFrameBytes, pageBudgetBytes } from '../config/frame-budget.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { PresenceService } from '../presence/presence.service.js';
import { Quotas } from '../quotas/quotas.js';
import { RoomsService } from '../rooms/rooms.service.js';
import {
  MESSAGE_STORE,
  type AppendResult,
  type MessageDraft,
  type MessageStore,
} from '../storage/message-store.js';
import type { ChatClient } from './chat-client.js';
import { envelopeFrame } from './frames.js';
import { PresenceFanout } from './presence-fanout.js';
import { RoomRegistry } from './room-registry.js';
import { SendWindow } from './send-window.js';
import { MessagePostingEvent } from './events/message-posting.event.js';
import { MessageStoredEvent } from './events/message-stored.event.js';
import { clockTime } from './simple-format.js';
import { TypingThrottle } from './typing-throttle.js';

/** Messages a resuming client gets in `joined` before it has to page with `history`. */
export const RESUME_LIMIT = 500;
/** Sends one connection may have waiting for storage; its next send waits for an ack (see SendWindow). */
export const MAX_UNACKED_SENDS = 256;

/** The chat rules: joining, posting, resuming and paging. Reaches clients only through {@link ChatClient}. */
@Injectable()
export class ChatService implements OnModuleInit, OnApplicationShutdown {
  private readonly subscriptions: (() => void)[] = [];
  private readonly typingThrottle = new TypingThrottle();
  private readonly logger = new Logger(ChatService.name);
  /** Messages accepted but not yet stored, for shutdown to wait on. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Per client: messages accepted but not yet acknowledged. */
  private readonly unacked = new SendWindow<ChatClient>(MAX_UNACKED_SENDS);
  private welcomeLimits: Welcome['limits'] | undefined;
  /** Bytes of messages in one `joined` or `history` page. */
  private readonly pageBytes: number;

  constructor(
    @Inject(MESSAGE_STORE) private readonly store: MessageStore,
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: RoomRegistry,
    private readonly presence: PresenceService,
    private readonly presenceFanout: PresenceFanout,
    private readonly rooms: RoomsService,
    private readonly config: AppConfigService,
    private readonly events: EventEmitter2,
    private readonly metrics: MetricsService,
    private readonly quotas: Quotas,
  ) {
    this.pageBytes = pageBudgetBytes(frameBudgetConfig(config));
  }

  /** What `welcome` tells every client about the limits: the same for all, so made once. */
  private get limits(): Welcome['limits'] {
    return (this.welcomeLimits ??= {
      maxTextLength: this.config.get('MAX_TEXT_LENGTH'),
      maxFrameBytes: this.config.get('MAX_FRAME_BYTES'),
      maxServerFrameBytes: maxServerFrameBytes(frameBudgetConfig(this.config)),
      sendRatePerSec: this.config.get('SEND_RATE_PER_SEC'),
      sendBurst: this.config.get('SEND_BURST'),
      frameRatePerSec: this.config.get('FRAME_RATE_PER_SEC'),
      frameBurst: this.config.get('FRAME_BURST'),
      maxUnackedSends: MAX_UNACKED_SENDS,
      maxRoomsPerConnection: this.config.get('MAX_ROOMS_PER_CONNECTION'),
      heartbeatMs: this.config.get('HEARTBEAT_MS'),
    });
  }

  onModuleInit(): void {
    this.subscriptions.push(
      this.bus.subscribe((event) => this.onBusEvent(event)),
      // Messages published while the bus was away never arrive: read them from the store.
      this.bus.onReconnect(() => this.registry.catchUp()),
      this.presence.onChange((diff) => this.presenceFanout.changed(diff)),
    );
  }

  onApplicationShutdown(): void {
    for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe();
  }

  connect(client: ChatClient): void {
    if (client.protocol === 'simple') {
      this.registry.addLive(DEFAULT_ROOM, client);
      this.presence.enter(DEFAULT_ROOM, client.user);
      return;
    }
    client.send('welcome', {
      connectionId: client.id,
      user: client.user,
      serverTime: new Date().toISOString(),
      limits: this.limits,
    });
  }

  disconnect(client: ChatClient): void {
    for (const room of client.rooms) this.presence.exit(room, client.user);
    this.registry.removeEverywhere(client);
  }

  /**
   * Sends `joined` with the latest page (or, with `since`, what was missed), then live messages,
   * and, with the room's next presence batch (see {@link PresenceFanout}), who is here. Live messages that arrive during the read are held back and released after
   * it, so nothing is skipped or sent twice.
   */
  async join(client: ChatClient, { room, since }: Join): Promise<void> {
    const rejoin = client.rooms.has(room);
    const maxRooms = this.config.get('MAX_ROOMS_PER_CONNECTION');
    if (!rejoin && maxRooms > 0 && client.rooms.size >= maxRooms) {
      throw new ForbiddenError(`a connection may be in at most ${maxRooms} rooms: leave one first`);
    }
    // Registered users create a room by joining it (RoomAccessGuard has kept guests out of new ones).
    if (!client.user.guest && !(await this.rooms.exists(room))) await this.rooms.create(room, client.user);
    // A client that went away while we waited has been cleaned up already: do not add it back.
    if (!client.isOpen) return;
    this.registry.addCatchingUp(room, client);
    try {
      const { page, reset } = await this.readJoinPage(room, since);
      if (!this.registry.isMember(room, client)) return; // disconnected (or left) during the read
      const { lastSeq, messages, hasMore } = page;
      client.send('joined', { room, lastSeq, messages, hasMore, ...(reset && { reset }) });
      this.registry.goLive(room, client, page.lastSeq);
    } catch (error) {
      this.registry.remove(room, client);
      if (rejoin) this.presence.exit(room, client.user);
      throw error;
    }
    if (!rejoin) this.presence.enter(room, client.user);
    this.presenceFanout.sendList(room, client);
  }

  /**
   * The page `joined` carries: the latest one, or what was missed since `since`. A `since` past
   * the room's last seq means the room's history was reset (a new database): the client is told
   * to drop what it holds, and gets the latest page instead of nothing.
   */
  private async readJoinPage(room: string, since: number | undefined) {
    const maxBytes = this.pageBytes;
    if (since === undefined) {
      return {
        page: await this.store.readPage(room, { limit: HISTORY_DEFAULT_LIMIT, maxBytes }),
        reset: false,
      };
    }
    const missed = await this.store.readPage(room, { after: since, limit: RESUME_LIMIT, maxBytes });
    if (since <= missed.lastSeq) return { page: missed, reset: false };
    return { page: await this.store.readPage(room, { limit: HISTORY_DEFAULT_LIMIT, maxBytes }), reset: true };
  }

  leave(client: ChatClient, { room }: Leave): void {
    if (client.rooms.has(room)) {
      this.registry.remove(room, client);
      this.presence.exit(room, client.user);
    }
    client.send('left', { room });
  }

  /**
   * Queues the message for storage and returns: the connection's next frame can be handled while
   * this one commits (stores keep the order of appends, and commit them in groups). Once the
   * message is durable, the sender gets its `ack` and the room gets the message.
   */
  async send(client: ChatClient, { room, text, clientId }: Send): Promise<void> {
    if (!this.registry.isMember(room, client)) throw new NotAMemberError(room);
    await this.unacked.admit(client);
    const draft = await this.prepare(client, { room, text, clientId, user: client.user });
    if (!draft) return;
    await this.takeSendQuota(client, clientId);
    this.post(client, draft, ({ message, duplicate }) => {
      client.send('ack', { clientId, id: message.id, seq: message.seq, room, time: message.time });
      if (!duplicate) this.published(message);
    });
  }

  /**
   * A message from a simple-protocol client: always room `general`. A guest names itself per
   * message; a signed-in account always posts as its username (the token fixes the name).
   */
  async sendSimple(client: ChatClient, { name, message: text }: SimpleIn): Promise<void> {
    const user = client.user.guest ? { ...client.user, name } : client.user;
    await this.unacked.admit(client);
    const draft = await this.prepare(client, { room: DEFAULT_ROOM, text, clientId: randomUUID(), user });
    if (!draft) return;
    await this.takeSendQuota(client);
    this.post(client, draft, ({ message }) => this.published(message));
  }

  /**
   * Per user and per IP, across connections and instances (SENDS_PER_MINUTE_*): what the
   * connection's own rate cannot see. Awaited before the message is queued, so a connection's
   * messages still reach the store in the order they were sent.
   */
  private async takeSendQuota(client: ChatClient, clientId?: string): Promise<void> {
    try {
      await this.quotas.sends.take({ userId: client.user.id, ip: client.remoteAddress });
    } catch (error) {
      // A replay of a stored message (an outbox resent after a reconnect) stores nothing new:
      // it never counts against the quota. Looked up only when the quota is spent.
      const replay = clientId !== undefined && (await this.store.findByClientId(client.user.id, clientId));
      if (!replay) throw error;
    }
  }

  /**
   * Lets extensions see the message before it is stored (MessagePostingEvent): they may rewrite
   * it, answer the sender, or swallow it. Returns what to store, or null when nothing is.
   */
  private async prepare(client: ChatClient, draft: MessageDraft): Promise<MessageDraft | null> {
    const posting = new MessagePostingEvent(draft.room, draft.user, draft.text, draft.clientId, (name) =>
      this.rename(client, name),
    );
    await this.events.emitAsync(MessagePostingEvent.eventName, posting);
    for (const text of posting.replies) this.notify(client, draft, text);
    if (!posting.swallowed) return { ...draft, text: posting.text };
    // Nothing is stored, so no ack will come: settle the sender's pending message another way.
    if (posting.replies.length === 0) this.notify(client, draft, '');
    return null;
  }

  private notify(client: ChatClient, { room, clientId }: MessageDraft, text: string): void {
    if (client.protocol === 'simple') {
      if (text) client.sendSimple({ name: 'server', message: text, time: clockTime(new Date()) });
    } else {
      client.send('notice', { room, text, clientId });
    }
  }

  private published(message: ChatMessage): void {
    this.metrics.messagesReceived.inc();
    this.bus.publish({ type: 'message', message });
    this.events.emit(MessageStoredEvent.eventName, new MessageStoredEvent(message));
  }

  /**
   * A guest's new display name, for every connection of that guest on this instance (its tabs): a
   * user is one entry in presence, so its tabs cannot go by different names. Presence shows the
   * rename as the user leaving under the old name and joining under the new one. Accounts keep
   * their username.
   */
  private rename(client: ChatClient, name: string): void {
    if (!client.user.guest) {
      throw new ForbiddenError('accounts are known by their username; only guests can change their name');
    }
    const parsed = DisplayNameSchema.safeParse(name);
    if (!parsed.success) throw new BadRequestError(`name: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const previous = client.user;
    const tabs = this.registry.clientsOf(previous.id).add(client);
    for (const tab of tabs) tab.rename(parsed.data);
    this.presence.rename(previous, client.user);
  }

  /** Resolves once every accepted message has been stored and acknowledged (for shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async history(
    client: ChatClient,
    { room, before, limit = HISTORY_DEFAULT_LIMIT }: HistoryRequest,
  ): Promise<void> {
    const page = await this.store.readPage(room, { before, limit, maxBytes: this.pageBytes });
    client.send('history', { room, messages: page.messages, hasMore: page.hasMore });
  }

  /** Tells the other members that this user is typing; at most once per 2 s per user and room. */
  typing(client: ChatClient, { room }: Typing): void {
    if (!this.registry.isMember(room, client)) throw new NotAMemberError(room);
    if (!this.typingThrottle.allow(client.user.id, room)) return;
    this.bus.publish({ type: 'typing', room, user: client.user });
  }

  ping(client: ChatClient, { t }: Ping): void {
    client.send('pong', { ...(t !== undefined && { t }), serverTime: new Date().toISOString() });
  }

  private onBusEvent(event: BusEvent): void {
    if (event.type === 'message') this.registry.deliver(event.message);
    else if (event.type === 'typing') {
      this.registry.broadcast(
        event.room,
        envelopeFrame('typing', { room: event.room, user: event.user }),
        event.user.id,
      );
    }
  }

  /** Checks the draft, then stores it in the background; errors become error frames for `client`. */
  private post(client: ChatClient, draft: MessageDraft, onStored: (result: AppendResult) => void): void {
    const max = this.config.get('MAX_TEXT_LENGTH');
    // Characters are code points; the cheap UTF-16 length is an upper bound on their number.
    if (draft.text.length > max) {
      const length = [...draft.text].length;
      if (length > max) throw new TooLargeError(`text is ${length} characters; the limit is ${max}`);
    }
    this.unacked.opened(client);
    const work = this.store
      .append(draft)
      .then((result) => {
        // Idempotency is per user across rooms: the clientId's message lives elsewhere, nothing was stored here.
        if (result.message.room !== draft.room)
          throw new ClientIdReusedError(draft.clientId, result.message.room);
        return result;
      })
      .then(onStored, (error: unknown) => {
        const { payload, expected } = toErrorPayload(error);
        if (!expected) this.logger.error(error);
        const clientId = client.protocol === 'simple' ? undefined : draft.clientId;
        client.sendError({ ...payload, event: 'send', room: draft.room, ...(clientId && { clientId }) });
      })
      .finally(() => {
        this.unacked.settled(client);
        this.inFlight.delete(work);
      });
    this.inFlight.add(work);
  }
}
