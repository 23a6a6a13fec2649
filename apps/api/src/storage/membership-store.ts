import type { RoomKind, RoomRole, User } from '@chat/contracts';

/** One member of a room as stored. */
export interface MemberRecord {
  user: User;
  role: RoomRole;
  /** ISO time until which the member may read but not write; null when not muted. */
  mutedUntil: string | null;
  readSeq: number;
}

/** What one user may do in one room, read in one query (asked before every send). */
export interface RoomAccess {
  kind: RoomKind;
  /** Null when the user is not a member. */
  member: Pick<MemberRecord, 'role' | 'mutedUntil' | 'readSeq'> | null;
  banned: boolean;
}

/** A room of one member, with that member's counts: what RoomInfo is made of. */
export interface MemberRoomRecord {
  name: string;
  kind: RoomKind;
  topic: string | null;
  role: RoomRole;
  memberCount: number;
  lastSeq: number;
  readSeq: number;
  /** Messages by others after readSeq (not deleted, not thread replies). */
  unread: number;
  /** Those of them that mention the member (message_mentions rows). */
  mentions: number;
  lastActivity: string | null;
  mutedUntil: string | null;
  /** On a DM: the other member, while they are one. */
  dmWith: User | null;
}

/** The outcome of adding a member: only `added` changed anything. */
/** One read marker to move forward: the user's marker of the room, to `seq`. */
export interface ReadMark {
  room: string;
  userId: string;
  seq: number;
}

export type AddOutcome = 'added' | 'member' | 'banned' | 'full' | 'missing';

/**
 * The port for membership: who belongs to which room, with which role, mute and read marker, and
 * who is banned. Every change keeps `rooms.member_count` in step in the same transaction.
 */
export interface MembershipStore {
  /** The room's kind and the user's standing in it; null when the room does not exist. */
  access(room: string, userId: string): Promise<RoomAccess | null>;
  /**
   * Adds the user with `role` unless they are a member already, are banned, or the room has
   * `maxMembers` members (0: no limit). Checked and written in one transaction.
   */
  add(room: string, user: User, role: RoomRole, maxMembers: number): Promise<AddOutcome>;
  /** Removes the membership; true when there was one. */
  remove(room: string, userId: string): Promise<boolean>;
  /** Bans the user and removes their membership, in one transaction; true when they were a member. */
  ban(room: string, userId: string, bannedBy: string): Promise<boolean>;
  /** Lifts a ban; true when there was one. */
  unban(room: string, userId: string): Promise<boolean>;
  /** True when the user is a member (and now has `role`). */
  setRole(room: string, userId: string, role: RoomRole): Promise<boolean>;
  /** Mutes until `until` (ISO) or unmutes (null); true when the user is a member. */
  setMute(room: string, userId: string, until: string | null): Promise<boolean>;
  /**
   * Moves the read marker forward to `seq`, clamped to the room's last seq. The new marker when
   * it moved; null when it did not (lower or equal value, or not a member).
   */
  markRead(room: string, userId: string, seq: number): Promise<number | null>;
  /**
   * {@link markRead} for several (room, user) pairs, each at most once, in one transaction: the
   * read markers gathered over a second are one commit. The results in the order of `reads`.
   */
  markReadMany(reads: readonly ReadMark[]): Promise<(number | null)[]>;
  /** Members ordered by name then id, the first `limit` after `after` ([name, id] of the previous page's last). */
  members(room: string, page: { after?: [string, string]; limit: number }): Promise<MemberRecord[]>;
  /** One member's record, or null. */
  member(room: string, userId: string): Promise<MemberRecord | null>;
  /** How many owners the room has (a leave must not take its last one while others remain). */
  owners(room: string): Promise<number>;
  /** The user's rooms with their counts, by name; only `room` when given. */
  roomsOf(userId: string, room?: string): Promise<MemberRoomRecord[]>;
  /** The ids of the account members (guests' names are not unique) of `room` whose names are among `names` (ignoring case): mention resolution. */
  membersNamed(room: string, names: readonly string[]): Promise<string[]>;
}

/** Nest injection token for the configured {@link MembershipStore}. */
export const MEMBERSHIP_STORE = Symbol('MembershipStore');
