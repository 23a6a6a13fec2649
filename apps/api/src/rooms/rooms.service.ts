import { Inject, Injectable } from '@nestjs/common';
import { type RoomList, type User } from '@chat/contracts';
import { ForbiddenError, NotFoundError } from '../common/errors/chat-errors.js';
import { DM_PREFIX } from '../core/membership/dm-room-name.js';
import { invisible } from '../core/membership/membership-permissions.js';
import { RoomMembership } from '../core/membership/room-membership.js';
import { PresenceService } from '../presence/presence.service.js';
import { Quotas } from '../quotas/quotas.js';
import { ROOM_STORE, type RoomStore } from '../storage/room-store.js';
import { KnownRooms } from './known-rooms.js';

/** Which rooms exist, who may create them by joining, and what the directory shows. */
@Injectable()
export class RoomsService {
  private readonly known = new KnownRooms();

  constructor(
    @Inject(ROOM_STORE) private readonly rooms: RoomStore,
    private readonly presence: PresenceService,
    private readonly quotas: Quotas,
    private readonly membership: RoomMembership,
  ) {}

  /** Whether the room exists; a room seen once is not read again (see {@link KnownRooms}). */
  async exists(name: string): Promise<boolean> {
    if (this.known.has(name)) return true;
    const exists = await this.rooms.exists(name);
    if (exists) this.known.add(name);
    return exists;
  }

  /**
   * Guests may enter rooms that exist; registered users may also enter (and so create) new ones,
   * within their room-creation quota (counted here: the join that follows creates the room).
   * DM names are reserved: such a room is never created by a join, and one that does not exist is
   * answered as a DM you are not in.
   */
  async assertEnterable(name: string, user: User, ip: string): Promise<void> {
    if (await this.exists(name)) return;
    // A DM's name follows from its two people's ids, which every message shows: a missing one
    // must be answered as one that exists (not_found), or anyone could tell who talks to whom.
    if (name.startsWith(DM_PREFIX)) throw invisible(name);
    if (user.guest) {
      throw new ForbiddenError(
        `room "${name}" does not exist, and guests cannot create rooms: register to create it`,
      );
    }
    this.membership.assertCreatable(name);
    await this.quotas.roomCreations.take({ userId: user.id, ip });
  }

  /** Creates a public room owned by `user` if it does not exist (a join's; the guard counted it). True when new. */
  createByJoin(name: string, user: User): Promise<boolean> {
    return this.membership.createByJoin(name, user);
  }

  async assertExists(name: string): Promise<void> {
    if (!(await this.exists(name))) throw new NotFoundError(`room "${name}" does not exist`);
  }

  /** One page of the public directory by name, `limit` long, after the `cursor` of the previous page. */
  async list({ cursor, limit, q }: { cursor?: string; limit: number; q?: string }): Promise<RoomList> {
    // One more than asked for says whether there is a next page.
    const rooms = await this.rooms.list({
      after: cursor,
      limit: limit + 1,
      kind: 'public',
      ...(q !== undefined && { prefix: q.toLowerCase() }),
    });
    const page = rooms.slice(0, limit);
    // Rooms this instance does not hear are counted in the presence store, in one round trip.
    const online = await this.presence.onlineCounts(page.map((room) => room.name));
    return {
      rooms: page.map(({ topic, ...room }, i) => ({
        ...room,
        ...(topic !== null && { topic }),
        online: online[i]!,
      })),
      nextCursor: rooms.length > limit ? (page.at(-1)?.name ?? null) : null,
    };
  }
}
