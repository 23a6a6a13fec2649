import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  DEFAULT_ROOM,
  HISTORY_DEFAULT_LIMIT,
  type HistoryRequest,
  type Join,
  type Leave,
  type Ping,
  type Send,
  type SimpleIn,
} from '@chat/contracts';
import { BUS, type Bus } from '../bus/bus.js';
import { NotAMemberError, ForbiddenError, TooLargeError } from '../common/errors/chat-errors.js';
import { AppConfigService } from '../config/app-config.service.js';
import { MESSAGE_STORE, type MessageDraft, type MessageStore } from '../storage/message-store.js';
import type { ChatClient } from './chat-client.js';
import { RoomRegistry } from './room-registry.js';

/** Messages a resuming client gets in `joined` before it has to page with `history`. */
export const RESUME_LIMIT = 500;

/** The chat rules: joining, posting, resuming and paging. Reaches clients only through {@link ChatClient}. */
@Injectable()
export class ChatService implements OnModuleInit, OnModuleDestroy {
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(MESSAGE_STORE) private readonly store: MessageStore,
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: RoomRegistry,
    private readonly config: AppConfigService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((event) => this.registry.deliver(event.message));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  connect(client: ChatClient): void {
    if (client.protocol === 'simple') {
      this.registry.addLive(DEFAULT_ROOM, client);
      return;
    }
    client.send('welcome', {
      connectionId: client.id,
      user: client.user,
      serverTime: new Date().toISOString(),
      limits: {
        maxTextLength: this.config.get('MAX_TEXT_LENGTH'),
        maxFrameBytes: this.config.get('MAX_FRAME_BYTES'),
        sendRatePerSec: this.config.get('SEND_RATE_PER_SEC'),
        sendBurst: this.config.get('SEND_BURST'),
        maxRoomsPerConnection: this.config.get('MAX_ROOMS_PER_CONNECTION'),
        heartbeatMs: this.config.get('HEARTBEAT_MS'),
      },
    });
  }

  disconnect(client: ChatClient): void {
    this.registry.removeEverywhere(client);
  }

  /**
   * Sends `joined` with the latest page (or, with `since`, what was missed), then live messages.
   * Live messages that arrive during the read are held back and released after it, so nothing
   * is skipped or sent twice.
   */
  async join(client: ChatClient, { room, since }: Join): Promise<void> {
    const maxRooms = this.config.get('MAX_ROOMS_PER_CONNECTION');
    if (maxRooms > 0 && !client.rooms.has(room) && client.rooms.size >= maxRooms) {
      throw new ForbiddenError(`a connection may be in at most ${maxRooms} rooms; leave one first`);
    }
    this.registry.addCatchingUp(room, client);
    try {
      const limit = since === undefined ? HISTORY_DEFAULT_LIMIT : RESUME_LIMIT;
      const page = await this.store.readPage(room, { after: since ?? 0, limit });
      client.send('joined', { room, lastSeq: page.lastSeq, messages: page.messages, hasMore: page.hasMore });
      this.registry.goLive(room, client, page.lastSeq);
    } catch (error) {
      this.registry.remove(room, client);
      throw error;
    }
  }

  leave(client: ChatClient, { room }: Leave): void {
    this.registry.remove(room, client);
    client.send('left', { room });
  }

  /** Stores the message (durably), acknowledges it to the sender, then fans it out. */
  async send(client: ChatClient, { room, text, clientId }: Send): Promise<void> {
    if (!this.registry.isMember(room, client)) throw new NotAMemberError(room);
    const { message, duplicate } = await this.post({ room, text, clientId, user: client.user });
    const { id, seq, time } = message;
    client.send('ack', { clientId, id, seq, room, time });
    if (!duplicate) this.bus.publish({ type: 'message', message });
  }

  /** A message from a simple-protocol client: always room `general`, named per message. */
  async sendSimple(client: ChatClient, { name, message: text }: SimpleIn): Promise<void> {
    const user = { ...client.user, name };
    const { message } = await this.post({ room: DEFAULT_ROOM, text, clientId: randomUUID(), user });
    this.bus.publish({ type: 'message', message });
  }

  async history(
    client: ChatClient,
    { room, before, limit = HISTORY_DEFAULT_LIMIT }: HistoryRequest,
  ): Promise<void> {
    const page = await this.store.readPage(room, { before, limit });
    client.send('history', { room, messages: page.messages, hasMore: page.hasMore });
  }

  ping(client: ChatClient, { t }: Ping): void {
    client.send('pong', { ...(t !== undefined && { t }), serverTime: new Date().toISOString() });
  }

  private async post(draft: MessageDraft) {
    const max = this.config.get('MAX_TEXT_LENGTH');
    // Characters are code points; the cheap UTF-16 length is an upper bound on their number.
    if (draft.text.length > max) {
      const length = [...draft.text].length;
      if (length > max) throw new TooLargeError(`text is ${length} characters; the limit is ${max}`);
    }
    return this.store.append(draft);
  }
}
