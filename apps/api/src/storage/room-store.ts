import type { RoomKind, User } from '@chat/contracts';

export interface RoomRecord {
  name: string;
  kind: RoomKind;
  topic: string | null;
  memberCount: number;
  lastSeq: number;
  /** Time of the newest message; null when the room has none. */
  lastActivity: string | null;
}

/** How a room is created: its kind and topic, and who owns it (its first member). */
export interface NewRoom {
  kind: 'public' | 'private';
  topic?: string;
  owner: User;
}

/** The port for rooms. Room `general` always exists (the migrations create it). */
export interface RoomStore {
  exists(name: string): Promise<boolean>;
  /** The room, or null when it does not exist. */
  find(name: string): Promise<RoomRecord | null>;
  /**
   * Creates the room with its owner as first member, in one transaction, unless the name is
   * taken; true when this call created it.
   */
  create(name: string, room: NewRoom): Promise<boolean>;
  /** Rooms by name: the first `limit` whose name sorts after `after` (all of them without `after`). */
  list(page: RoomPageQuery): Promise<RoomRecord[]>;
  /** Sets (or, with null, clears) the topic; true when the room exists. */
  setTopic(name: string, topic: string | null): Promise<boolean>;
  /**
   * The DM room of two users: created (kind `dm`, both members, the pair in direct_rooms) in one
   * transaction unless it exists. `a` and `b` in any order. True when this call created it.
   */
  openDirect(name: string, a: User, b: User): Promise<boolean>;
}

export interface RoomPageQuery {
  /** Only rooms whose name sorts after this one (the previous page's last). */
  after?: string;
  limit: number;
  /** Only rooms whose name starts with this. */
  prefix?: string;
  /** Only rooms of this kind (the directory: public). */
  kind?: RoomKind;
}

export const ROOM_STORE = Symbol('RoomStore');
