import { Inject, Injectable } from '@nestjs/common';
import type { RoomRole, User } from '@chat/contracts';
import { ForbiddenError, NotFoundError } from '../../common/errors/chat-errors.js';
import { MEMBERSHIP_STORE, type MembershipStore, type RoomAccess } from '../../storage/membership-store.js';
import type { RoomPermissions } from '../access/room-permissions.js';
import { isMuted } from './room-info.js';

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
 * One indexed read per question (a send asks once).
 */
@Injectable()
export class MembershipPermissions implements RoomPermissions {
  /** Rooms known to be public. A room's kind never changes and rooms are never deleted. */
  private readonly publicRooms = new Set<string>();

  constructor(@Inject(MEMBERSHIP_STORE) private readonly store: MembershipStore) {}

  async assertCanWrite(room: string, user: User): Promise<void> {
    // Guests cannot be named, so never banned or muted: in a public room they may always write.
    // This keeps a send storm of guests from costing a read per message.
    if (user.guest && this.publicRooms.has(room)) return;
    const access = await this.readable(room, user);
    if (access.kind === 'public') this.remember(room);
    if (access.member && isMuted(access.member.mutedUntil)) {
      throw new ForbiddenError(`you are muted in room "${room}": you can read, but not send, edit or react`);
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
