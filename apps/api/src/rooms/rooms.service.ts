import { Inject, Injectable } from '@nestjs/common';
import { type RoomList, type User } from '@chat/contracts';
import { ForbiddenError, NotFoundError } from '../common/errors/chat-errors.js';
import { PresenceService } from '../presence/presence.service.js';
import { Quotas } from '../quotas/quotas.js';
import { ROOM_STORE, type RoomStore } from '../storage/room-store.js';

/** Which rooms exist, who may create them, and what each looks like from the outside. */
@Injectable()
export class RoomsService {
  constructor(
    @Inject(ROOM_STORE) private readonly rooms: RoomStore,
    private readonly presence: PresenceService,
    private readonly quotas: Quotas,
  ) {}

  exists(name: string): Promise<boolean> {
    return this.rooms.exists(name);
  }

  /**
   * Guests may enter rooms that exist; registered users may also enter (and so create) new ones,
   * within their room-creation quota (counted here: the join that follows creates the room).
   */
  async assertEnterable(name: string, user: User, ip: string): Promise<void> {
    if (await this.rooms.exists(name)) return;
    if (user.guest) {
      throw new ForbiddenError(
        `room "${name}" does not exist, and guests cannot create rooms: register to create it`,
      );
    }
    await this.quotas.roomCreations.take({ userId: user.id, ip });
  }

  /** Creates a room if it does not exist (registered users only: checked by the caller's guard). True when new. */
  create(name: string, user: User): Promise<boolean> {
    return this.rooms.create(name, user.id);
  }

  /** {@link create} on behalf of a client at `ip`: only a room that is new counts against the quota. */
  async createWithinQuota(name: string, user: User, ip: string): Promise<boolean> {
    if (await this.rooms.exists(name)) return false;
    await this.quotas.roomCreations.take({ userId: user.id, ip });
    return this.create(name, user);
  }

  async assertExists(name: string): Promise<void> {
    if (!(await this.rooms.exists(name))) throw new NotFoundError(`room "${name}" does not exist`);
  }

  /** One page of rooms by name, `limit` long, after the `cursor` of the previous page. */
  async list({ cursor, limit }: { cursor?: string; limit: number }): Promise<RoomList> {
    // One more than asked for says whether there is a next page.
    const rooms = await this.rooms.list({ after: cursor, limit: limit + 1 });
    const page = rooms.slice(0, limit);
    return {
      // Placeholder kind and count until membership lands (issue 14).
      rooms: page.map((room) => ({
        ...room,
        kind: 'public' as const,
        memberCount: 0,
        online: this.presence.onlineCount(room.name),
      })),
      nextCursor: rooms.length > limit ? (page.at(-1)?.name ?? null) : null,
    };
  }
}
