import { Inject, Injectable } from '@nestjs/common';
import type { Join, Leave, Ping, PresenceList, Read, Typing } from '@chat/contracts';
import { BUS, roomTopic, type Bus } from '../bus/bus.js';
import { ForbiddenError, NotAMemberError } from '../common/errors/chat-errors.js';
import { AppConfigService } from '../config/app-config.service.js';
import { ChatPolicies } from '../core/policies/chat-policies.js';
import { RoomMembership } from '../core/membership/room-membership.js';
import { PresenceDirectory } from '../presence/presence-directory.js';
import { PresenceService } from '../presence/presence.service.js';
import { RoomsService } from '../rooms/rooms.service.js';
import type { ClientConnection } from '../ws/client-connection.js';
import { HistoryPages } from './history-pages.js';
import { lastingMember } from './lasting-member.js';
import { PresenceFanout } from './presence-fanout.js';
import { RoomRegistry } from './room-registry.js';
import { TypingThrottle } from './typing-throttle.js';

/**
 * A connection in its rooms: joining (and resuming), leaving, typing, read markers, who is online,
 * ping. Its start and end are ChatConnections', its sends SendRequests', its history pages
 * HistoryPages', and what the bus brings from other instances ClusterDelivery's.
 */
@Injectable()
export class ChatService {
  private readonly typingThrottle = new TypingThrottle();

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: RoomRegistry,
    private readonly presence: PresenceService,
    private readonly presenceFanout: PresenceFanout,
    private readonly directory: PresenceDirectory,
    private readonly rooms: RoomsService,
    private readonly config: AppConfigService,
    private readonly policies: ChatPolicies,
    private readonly membership: RoomMembership,
    private readonly pages: HistoryPages,
  ) {}

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
      // waits for Redis's confirmation; a late one is repaired from the store, see ClusterDelivery).
      await this.bus.watch(roomTopic(room));
      // Membership: the banned and non-members of private rooms stay out; a public room's joiner
      // becomes a member. Asked once the client is in the registry, so that a removal racing
      // this join is either seen here (the store has it first) or reaches the client after.
      await this.membership.enter(room, client.user, lastingMember(client));
      const { page, reset, changes } = await this.pages.joinPage(room, since, client.user.id);
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
}
