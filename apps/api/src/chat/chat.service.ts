import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  CloseCode,
  DEFAULT_ROOM,
  type HistoryRequest,
  type Join,
  type Leave,
  type Ping,
  type PresenceList,
  type Read,
  type Send,
  type SimpleIn,
  type Typing,
  type User,
  type Welcome,
  DisplayNameSchema,
} from '@chat/contracts';
import { BUS, roomTopic, userTopic, type Bus, type BusEvent } from '../bus/bus.js';
import { BadRequestError, ForbiddenError, NotAMemberError } from '../common/errors/chat-errors.js';
import { AppConfigService } from '../config/app-config.service.js';
import { frameBudgetConfig, maxServerFrameBytes, pageBudgetBytes } from '../config/frame-budget.js';
import { ChatCore } from '../core/chat-core.js';
import type { PostInput, PostSender } from '../core/post-outcome.js';
import { ChatPolicies } from '../core/policies/chat-policies.js';
import { MembershipPermissions } from '../core/membership/membership-permissions.js';
import { RoomMembership } from '../core/membership/room-membership.js';
import { PresenceDirectory } from '../presence/presence-directory.js';
import { PresenceService } from '../presence/presence.service.js';
import { RoomsService } from '../rooms/rooms.service.js';
import {
  MESSAGE_STORE,
  type MessagePage,
  type MessageStore,
  type PageQuery,
} from '../storage/message-store.js';
import { reportError } from '../ws/report-error.js';
import type { ClientConnection } from '../ws/client-connection.js';
import { envelopeFrame } from '../ws/frames.js';
import { readHistoryWindow } from '../storage/history-window.js';
import { readJoinPage, RESUME_LIMIT } from './join-page.js';
import { LatestPages } from './latest-pages.js';
import { PresenceFanout } from './presence-fanout.js';
import { RoomRegistry } from './room-registry.js';
import type { SendWindow } from './send-window.js';
import { MAX_UNACKED_SENDS, UnackedSends } from './unacked-sends.js';
import { TypingThrottle } from './typing-throttle.js';
import { UserConnections } from './user-connections.js';

const TOKENS_REVOKED = 'this session was signed out (sign-out or password change): sign in again';

export { RESUME_LIMIT };
/** How often a page is read again when this connection was sent newer entries during the read. */
const PAGE_REREADS = 3;
export { MAX_UNACKED_SENDS };

/**
 * Whether a public room's joiner becomes a member: accounts do. A guest does not (nor does a
 * tokenless connection): every guest sign-in is a new identity that nobody can name, so a
 * lasting guest membership could never be removed, and a few sign-ins would fill any room up to
 * MAX_MEMBERS_PER_ROOM for good. Guests read and write public rooms as tokenless clients do.
 */
function lastingMember(client: ClientConnection): boolean {
  return !client.tokenless && !client.user.guest;
}

/** The chat rules: joining, posting, resuming and paging. Reaches clients only through {@link ClientConnection}. */
@Injectable()
export class ChatService implements OnModuleInit, OnApplicationShutdown {
  private readonly subscriptions: (() => void)[] = [];
  private readonly typingThrottle = new TypingThrottle();
  private readonly connections = new UserConnections();
  /**
   * Names guests chose with `/nick`, by user id, while any connection of that guest is open on
   * this instance: a new tab of the guest goes by it from its welcome on.
   */
  private readonly guestNames = new Map<string, string>();
  /** Per client: messages accepted but not yet acknowledged. */
  private readonly unacked: SendWindow<ClientConnection>;
  private welcomeLimits: Welcome['limits'] | undefined;
  /** Bytes of messages in one `joined` or `history` page. */
  private readonly pageBytes: number;
  /** The latest page of rooms being joined, read once while their log does not change. */
  private readonly latestPages: LatestPages;

  constructor(
    @Inject(MESSAGE_STORE) private readonly store: MessageStore,
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: RoomRegistry,
    private readonly presence: PresenceService,
    private readonly presenceFanout: PresenceFanout,
    private readonly directory: PresenceDirectory,
    private readonly rooms: RoomsService,
    private readonly config: AppConfigService,
    private readonly core: ChatCore,
    private readonly policies: ChatPolicies,
    unacked: UnackedSends,
    private readonly membership: RoomMembership,
    private readonly permissions: MembershipPermissions,
  ) {
    this.pageBytes = pageBudgetBytes(frameBudgetConfig(config));
    this.latestPages = new LatestPages(store);
    this.unacked = unacked.window;
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
      maxQueuedBytes: this.config.get('MAX_QUEUED_BYTES'),
      maxPageBytes: this.pageBytes,
      presenceListMax: this.config.get('PRESENCE_LIST_MAX'),
      quotas: {
        sendsPerMinutePerUser: this.config.get('SENDS_PER_MINUTE_PER_USER'),
        sendsPerMinutePerIp: this.config.get('SENDS_PER_MINUTE_PER_IP'),
        roomsPerHourPerUser: this.config.get('ROOMS_PER_HOUR_PER_USER'),
        roomsPerHourPerIp: this.config.get('ROOMS_PER_HOUR_PER_IP'),
        readsPerMinutePerUser: this.config.get('READS_PER_MINUTE_PER_USER'),
        readsPerMinutePerIp: this.config.get('READS_PER_MINUTE_PER_IP'),
      },
    });
  }

  onModuleInit(): void {
    this.subscriptions.push(
      this.bus.subscribe((event) => this.onBusEvent(event)),
      // Messages published while the bus was away never arrive: read them from the store.
      this.bus.onReconnect(() => this.registry.catchUp()),
      // So are a room's published before this instance heard it (a subscription confirmed late).
      this.bus.onHeard((topic) => {
        if (topic.startsWith('room:')) this.registry.catchUp(topic.slice('room:'.length));
      }),
      this.presence.onChange((diff) => this.presenceFanout.changed(diff)),
    );
  }

  onApplicationShutdown(): void {
    for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe();
  }

  connect(client: ClientConnection): void {
    const chosen = client.user.guest ? this.guestNames.get(client.user.id) : undefined;
    if (chosen !== undefined && chosen !== client.user.name) client.rename(chosen);
    // The user's own channel (kicks, read markers, mentions) is heard where they are connected.
    if (!this.connections.has(client.user.id)) void this.bus.watch(userTopic(client.user.id));
    this.connections.add(client);
    // A protocol without `join` (simple) is in its one room from the start, live only.
    if (client.fixedRoom !== null) {
      this.registry.addLive(client.fixedRoom, client);
      this.presence.enter(client.fixedRoom, client.user);
      if (this.policies.any || !client.tokenless) void this.checkFixedRoom(client, client.fixedRoom);
      return;
    }
    client.send('welcome', {
      connectionId: client.id,
      user: client.user,
      serverTime: new Date().toISOString(),
      limits: this.limits,
    });
    if (!client.tokenless) void this.sendRooms(client);
  }

  /** The user's rooms, right after `welcome`: the start of their own channel. */
  private async sendRooms(client: ClientConnection): Promise<void> {
    try {
      // Heard before the read: a room added meanwhile is in the list or in a `room.added`.
      await this.bus.watch(userTopic(client.user.id));
      const rooms = await this.membership.roomsOf(client.user);
      if (client.isOpen) client.send('rooms', { rooms });
    } catch (error) {
      reportError(client, error);
    }
  }

  /**
   * Join policies (and, for a token holder, membership) for a client that never sends `join`:
   * it cannot be kept out of its one room otherwise, so a refusal (or a failed policy) is an
   * error frame and a 4403 close. Checked after it entered, so that connecting costs no wait
   * when policies allow (the usual case).
   */
  private async checkFixedRoom(client: ClientConnection, room: string): Promise<void> {
    try {
      await this.policies.enforce({ kind: 'join', room, user: client.user });
      // A token holder is kept to membership as a join would (a ban from general closes it).
      if (!client.tokenless) await this.membership.enter(room, client.user, lastingMember(client));
    } catch (error) {
      const { message } = reportError(client, error, { room });
      client.close(CloseCode.forbidden, message.slice(0, 120));
    }
  }

  disconnect(client: ClientConnection): void {
    this.connections.remove(client);
    if (!this.connections.has(client.user.id)) {
      this.bus.unwatch(userTopic(client.user.id));
      if (!client.tokenless && !client.user.guest) void this.membership.flushReads(client.user.id);
    }
    if (client.user.guest && [...this.connections.of(client.user.id)].length === 0) {
      this.guestNames.delete(client.user.id);
    }
    for (const room of client.rooms) this.presence.exit(room, client.user);
    this.registry.removeEverywhere(client);
  }

  /**
   * Sends `joined` with the latest page (or, with `since`, what was missed), then live messages,
   * and, with the room's next presence batch (see {@link PresenceFanout}), who is here. Live messages that arrive during the read are held back and released after
   * it, so nothing is skipped or sent twice.
   */
  async join(client: ClientConnection, { room, since }: Join): Promise<void> {
    const rejoin = client.rooms.has(room);
    const maxRooms = this.config.get('MAX_ROOMS_PER_CONNECTION');
    if (!rejoin && maxRooms > 0 && client.rooms.size >= maxRooms) {
      throw new ForbiddenError(`a connection may be in at most ${maxRooms} rooms: leave one first`);
    }
    await this.policies.enforce({ kind: 'join', room, user: client.user });
    if (!client.isOpen) return;
    // Registered users create a room by joining it (RoomAccessGuard has kept guests out of new ones).
    if (!client.user.guest && !(await this.rooms.exists(room)))
      await this.rooms.createByJoin(room, client.user);
    // A client that went away while we waited has been cleaned up already: do not add it back.
    if (!client.isOpen) return;
    this.registry.addCatchingUp(room, client);
    try {
      // Heard before the read, so that what the read misses arrives live (the first member here
      // waits for Redis's confirmation; a late one is repaired from the store, see onHeard).
      await this.bus.watch(roomTopic(room));
      // Membership: the banned and non-members of private rooms stay out; a public room's joiner
      // becomes a member. Asked once the client is in the registry, so that a removal racing
      // this join is either seen here (the store has it first) or reaches the client after.
      await this.membership.enter(room, client.user, lastingMember(client));
      const { page, reset, changes } = await readJoinPage(
        this.store,
        room,
        since,
        client.user.id,
        this.pageBytes,
        this.latestPages,
      );
      if (!this.registry.isMember(room, client)) return; // disconnected (or left) during the read
      const { lastSeq, messages, hasMore } = page;
      client.send('joined', {
        room,
        lastSeq,
        messages,
        hasMore,
        ...(reset && { reset }),
        ...(changes.length > 0 && { changes }),
      });
      this.registry.goLive(room, client, page.lastSeq);
    } catch (error) {
      this.registry.remove(room, client);
      if (rejoin) this.presence.exit(room, client.user);
      throw error;
    }
    if (!rejoin) this.presence.enter(room, client.user);
    this.presenceFanout.sendList(room, client);
  }

  leave(client: ClientConnection, { room }: Leave): void {
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
  async send(
    client: ClientConnection,
    { room, text, clientId, replyTo, threadId, attachments }: Send,
  ): Promise<void> {
    if (!this.registry.isMember(room, client)) throw new NotAMemberError(room);
    const input: PostInput = { room, text, clientId, user: client.user };
    if (replyTo !== undefined) input.replyTo = replyTo;
    if (threadId !== undefined) input.threadId = threadId;
    if (attachments !== undefined) input.attachments = attachments;
    await this.post(client, input);
  }

  /**
   * A message from a simple-protocol client: always room `general`. A guest names itself per
   * message; a signed-in account always posts as its username (the token fixes the name).
   */
  async sendSimple(client: ClientConnection, { name, message: text }: SimpleIn): Promise<void> {
    await this.post(client, { room: DEFAULT_ROOM, text, user: this.simpleAuthor(client, name) });
  }

  /** Who a simple-protocol message is from: the one place that decides its name. */
  private simpleAuthor(client: ClientConnection, name: string): User {
    return client.user.guest ? { ...client.user, name } : client.user;
  }

  /**
   * Through the core, as every door posts, inside this connection's window of unacked sends:
   * the core's first half is awaited (order), its second runs in the background.
   */
  private async post(client: ClientConnection, input: PostInput): Promise<void> {
    await this.unacked.admit(client);
    const sender = this.senderFor(client, input);
    const accepted = await this.core.accept(input, sender);
    if (accepted.swallowed) return;
    this.unacked.opened(client);
    this.core.commit(accepted.draft, sender);
  }

  private senderFor(client: ClientConnection, { room, clientId }: PostInput): PostSender {
    return {
      ip: client.remoteAddress,
      replied: (replies, swallowed) => {
        for (const text of replies) client.notice({ room, text, clientId });
        // Nothing is stored, so no ack will come: settle the sender's pending message another way.
        if (swallowed && replies.length === 0) client.notice({ room, text: '', clientId });
      },
      rename: (name) => this.rename(client, name),
      stored: ({ message }) => {
        // Without a clientId (the simple protocol) there is no pending send to settle.
        if (clientId !== undefined)
          client.ack({ clientId, id: message.id, seq: message.seq, room, time: message.time });
        this.unacked.settled(client);
      },
      failed: (error) => {
        reportError(client, error, { event: 'send', room, ...(clientId && { clientId }) });
        this.unacked.settled(client);
      },
    };
  }

  /**
   * A guest's new display name, for every connection of that guest on this instance (its tabs): a
   * user is one entry in presence, so its tabs cannot go by different names. Presence shows the
   * rename as the user leaving under the old name and joining under the new one. Accounts keep
   * their username.
   */
  private rename(client: ClientConnection, name: string): void {
    if (!client.user.guest) {
      throw new ForbiddenError('accounts are known by their username; only guests can change their name');
    }
    const parsed = DisplayNameSchema.safeParse(name);
    if (!parsed.success) throw new BadRequestError(`name: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const previous = client.user;
    const tabs = this.registry.clientsOf(previous.id).add(client);
    const connections = this.connections.of(previous.id);
    for (const tab of connections) tabs.add(tab);
    this.guestNames.set(previous.id, parsed.data);
    for (const tab of tabs) tab.rename(parsed.data);
    // The sender hears it from the command's reply; every other tab is told here.
    for (const tab of connections) {
      if (tab === client) continue;
      const room = tab.fixedRoom ?? tab.rooms.values().next().value ?? DEFAULT_ROOM;
      tab.send('notice', { room, text: `you are now ${parsed.data}` });
    }
    this.presence.rename(previous, client.user);
  }

  /**
   * A page in its latest state for this reader. A page must reflect every entry this connection
   * was already sent (a client replaces what it holds with it): when newer entries of the room
   * went out to it during the read, it is read again (a few times at most).
   */
  async history(client: ClientConnection, request: HistoryRequest): Promise<void> {
    const { room, threadId } = request;
    await this.permissions.readable(room, client.user);
    const readPage = async (query: PageQuery): Promise<MessagePage> => {
      let page = await this.store.readPage(room, query);
      for (
        let read = 1;
        read < PAGE_REREADS && (this.registry.cursorOf(room, client) ?? 0) > page.lastSeq;
        read++
      ) {
        page = await this.store.readPage(room, query);
      }
      return page;
    };
    const window = await readHistoryWindow(readPage, request, {
      maxBytes: this.pageBytes,
      viewer: client.user.id,
      threadId,
    });
    client.send('history', { room, ...window, ...(threadId !== undefined && { threadId }) });
  }

  /** Tells the other members that this user is typing; at most once per 2 s per user and room. */
  typing(client: ClientConnection, { room }: Typing): void {
    if (!this.registry.isMember(room, client)) throw new NotAMemberError(room);
    if (!this.typingThrottle.allow(client.user.id, room)) return;
    this.bus.publish({ type: 'typing', room, user: client.user });
  }

  /** Moves the user's read marker forward (within a second); their other connections hear `read`. No answer. */
  read(client: ClientConnection, { room, seq }: Read): void {
    this.membership.markRead(room, client.user, seq, client.id);
  }

  /** A page of who is online in a room this connection is in (big rooms send counts only). */
  presenceList(client: ClientConnection, { room, after, limit, q }: PresenceList): void {
    if (!this.registry.isMember(room, client)) throw new NotAMemberError(room);
    const page = this.directory.page(room, { after, limit, q });
    client.send('presence.page', {
      room,
      users: page.users,
      online: this.presence.onlineCount(room),
      ...(page.next !== undefined && { next: page.next }),
      ...(q !== undefined && { q }),
    });
  }

  ping(client: ClientConnection, { t }: Ping): void {
    client.send('pong', { ...(t !== undefined && { t }), serverTime: new Date().toISOString() });
  }

  private onBusEvent(event: BusEvent): void {
    if (event.type === 'message') this.registry.deliver({ event: 'message', data: event.message });
    else if (event.type === 'change') this.registry.deliver(event.change);
    else if (event.type === 'typing') {
      this.registry.broadcast(
        event.room,
        envelopeFrame('typing', { room: event.room, user: event.user }),
        event.user.id,
      );
    } else if (event.type === 'kick') this.kicked(event.room, event.userId, event.removal ?? 'kicked');
    else if (event.type === 'user-channel') {
      for (const client of this.connections.of(event.userId)) {
        if (client.id !== event.exceptConnection) client.send(event.frame.event, event.frame.data);
      }
    } else if (event.type === 'disconnect-user') {
      for (const client of this.connections.of(event.userId)) {
        client.close(CloseCode.removed, (event.reason ?? 'removed by the server').slice(0, 120));
      }
    } else if (event.type === 'tokens-revoked') this.revoked(event.userId, event.version);
  }

  /**
   * The account's tokens older than `version` were revoked (sign-out, password change; every
   * instance hears it): the connections they opened here are closed with 4401, since a token that
   * no longer opens a connection must not keep one open either.
   */
  private revoked(userId: string, version: number): void {
    for (const client of this.connections.of(userId)) {
      if (client.user.guest || client.tokenVersion >= version) continue;
      client.fail({ code: 'unauthorized', message: TOKENS_REVOKED });
      client.close(CloseCode.unauthorized, TOKENS_REVOKED);
    }
  }

  /**
   * The user is out of the room (left, kicked or banned; ChatCore.kick or RoomMembership reached
   * this instance): their connections here leave it at once, and every one of them hears
   * `room.removed`, in the room or not (their room lists change too). A client whose protocol
   * fixes its room (simple) has no way to leave or rejoin: it is closed instead.
   */
  private kicked(room: string, userId: string, reason: 'left' | 'kicked' | 'banned'): void {
    for (const client of this.connections.of(userId)) {
      if (client.fixedRoom === room) {
        if (reason !== 'left') client.close(CloseCode.removed, 'removed from the room by a moderator');
        continue;
      }
      if (client.rooms.has(room)) {
        this.registry.remove(room, client);
        this.presence.exit(room, client.user);
      }
      client.send('room.removed', { room, reason });
    }
  }
}
