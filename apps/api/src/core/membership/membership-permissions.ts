import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { RoomRole, User } from '@chat/contracts';
import { ForbiddenError, NotFoundError } from '../../common/errors/chat-errors.js';
import { MEMBERSHIP_STORE, type MembershipStore, type RoomAccess } from '../../storage/membership-store.js';
import { BUS, roomTopic, type Bus, type BusEvent } from '../../bus/bus.js';
import type { RoomPermissions } from '../access/room-permissions.js';
import { isMuted } from './room-info.js';
import { WriteAccessCache } from './write-access-cache.js';

/**
 * The answer a non-member gets about a private room or DM: the same as for a room that does not
 * exist, so that nothing of it shows (not even whether it exists, beyond a taken name).
 */
export function invisible(room: string): NotFoundError {
  return new NotFoundError(`room "${room}" does not exist, or is private: ask one of its members to add you`);
}

export function bannedFrom(room: string): ForbiddenError {
  return new ForbiddenError(`you are banned from room "${room}": an owner or moderator can lift the ban`);
}

/** Bounds the memory of public room names (a room costs its name). */
const MAX_REMEMBERED_ROOMS = 10_000;

/**
 * Who may read and write where, from the membership store: public rooms are open to all but the
 * banned; private rooms and DMs to their members only; a muted member reads but does not write.
 * One indexed read per question; a user's sends after the first read nothing until the room's
 * log says their standing changed (see {@link WriteAccessCache}).
 */
@Injectable()
export class MembershipPermissions implements RoomPermissions, OnModuleDestroy {
  /** Rooms known to be public. A room's kind never changes and rooms are never deleted. */
  private readonly publicRooms = new Set<string>();
  private readonly writers = new WriteAccessCache();
  private readonly unsubscribe: (() => void)[];

  constructor(
    @Inject(MEMBERSHIP_STORE) private readonly store: MembershipStore,
    @Inject(BUS) private readonly bus: Bus,
  ) {
    // A bus delivers its own instance's events at once: a change made here counts from its return.
    this.unsubscribe = [
      bus.subscribe((event) => this.heard(event)),
      bus.onReconnect(() => this.writers.clear()),
      // Standings remembered before an interval of not hearing the room may be stale.
      bus.onHeard((topic) => {
        if (topic.startsWith('room:')) this.writers.forgetRoom(topic.slice('room:'.length));
      }),
    ];
  }

  onModuleDestroy(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
  }

  async assertCanWrite(room: string, user: User): Promise<void> {
    // Guests cannot be named, so never banned or muted: in a public room they may always write.
    // This keeps a send storm of guests from costing a read per message.
    if (user.guest && this.publicRooms.has(room)) return;
    // Only while this instance hears the room's log is a remembered standing told of changes.
    const hearing = this.bus.hears(roomTopic(room));
    let access = hearing ? this.writers.get(room, user.id) : undefined;
    if (access === undefined) {
      const epoch = this.writers.epoch;
      access = await this.readable(room, user);
      if (hearing) this.writers.set(room, user.id, access, epoch);
    }
    if (access.kind === 'public') this.remember(room);
    if (access.member && isMuted(access.member.mutedUntil)) {
      throw new ForbiddenError(`you are muted in room "${room}": you can read, but not send, edit or react`);
    }
  }

  /** Every change that can take a standing away is a `member` entry of the log, or a kick. */
  private heard(event: BusEvent): void {
    if (event.type === 'change' && event.change.event === 'member') {
      this.writers.forget(event.change.data.room, event.change.data.user.id);
    } else if (event.type === 'kick') {
      this.writers.forget(event.room, event.userId);
    }
  }

  private remember(room: string): void {
    if (this.publicRooms.size >= MAX_REMEMBERED_ROOMS) this.publicRooms.clear();
    this.publicRooms.add(room);
  }

  async roleOf(room: string, user: User): Promise<RoomRole | null> {
    return (await this.store.access(room, user.id))?.member?.role ?? null;
  }

  /** Resolves with the user's standing when they may read `room` (messages, members); throws otherwise. */
  async readable(room: string, user: User): Promise<RoomAccess> {
    const access = await this.store.access(room, user.id);
    // The same words as for a private room: a non-member cannot tell the two apart.
    if (!access) throw invisible(room);
    if (access.banned) throw bannedFrom(room);
    if (access.kind !== 'public' && !access.member) throw invisible(room);
    return access;
  }
}
