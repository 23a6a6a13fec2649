import type { RoomRole, User } from '@chat/contracts';

/**
 * What the core asks about a user in a room before it changes anything there. The membership
 * feature provides it (roles, mutes, bans, private rooms); the core itself only asks.
 */
export interface RoomPermissions {
  /**
   * Resolves when `user` may write to `room` (send, edit, react); throws the chat's domain errors
   * otherwise: ForbiddenError for a muted member or a non-member of a room that needs membership.
   */
  assertCanWrite(room: string, user: User): Promise<void>;
  /** The user's role in the room, or null when not a member. */
  roleOf(room: string, user: User): Promise<RoomRole | null>;
}

/** Nest injection token for the {@link RoomPermissions} in use. */
export const ROOM_PERMISSIONS = Symbol('RoomPermissions');

/** Until membership is configured: everyone may write everywhere, nobody moderates. */
export class OpenRoomPermissions implements RoomPermissions {
  assertCanWrite(): Promise<void> {
    return Promise.resolve();
  }

  roleOf(): Promise<RoomRole | null> {
    return Promise.resolve('member');
  }
}
