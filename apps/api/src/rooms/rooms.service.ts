import { Inject, Injectable } from '@nestjs/common';
import { type RoomSummary, type User } from '@chat/contracts';
import { ForbiddenError, NotFoundError } from '../common/errors/chat-errors.js';
import { PresenceService } from '../presence/presence.service.js';
import { ROOM_STORE, type RoomStore } from '../storage/room-store.js';

/** Which rooms exist, who may create them, and what each looks like from the outside. */
@Injectable()
export class RoomsService {
  constructor(
    @Inject(ROOM_STORE) private readonly rooms: RoomStore,
    private readonly presence: PresenceService,
  ) {}

  exists(name: string): Promise<boolean> {
    return this.rooms.exists(name);
  }

  /** Guests may enter rooms that exist; registered users may also enter (and so create) new ones. */
  async assertEnterable(name: string, user: User): Promise<void> {
    if (!user.guest || (await this.rooms.exists(name))) return;
    throw new ForbiddenError(
      `room "${name}" does not exist, and guests cannot create rooms: register to create it`,
    );
  }

  /** Creates a room if it does not exist (registered users only: checked by the caller's guard). True when new. */
  create(name: string, user: User): Promise<boolean> {
    return this.rooms.create(name, user.id);
  }

  async assertExists(name: string): Promise<void> {
    if (!(await this.rooms.exists(name))) throw new NotFoundError(`room "${name}" does not exist`);
  }

  async list(): Promise<RoomSummary[]> {
    const rooms = await this.rooms.list();
    return rooms.map((room) => ({ ...room, online: this.presence.onlineCount(room.name) }));
  }
}
