export interface RoomRecord {
  name: string;
  lastSeq: number;
  /** Time of the newest message; null when the room has none. */
  lastActivity: string | null;
}

/** The port for rooms. Room `general` always exists (the migrations create it). */
export interface RoomStore {
  exists(name: string): Promise<boolean>;
  /** Creates the room unless it exists; true when this call created it. */
  create(name: string, createdBy: string): Promise<boolean>;
  /** Rooms by name: the first `limit` whose name sorts after `after` (all of them without `after`). */
  list(page: RoomPageQuery): Promise<RoomRecord[]>;
}

export interface RoomPageQuery {
  /** Only rooms whose name sorts after this one (the previous page's last). */
  after?: string;
  limit: number;
}

export const ROOM_STORE = Symbol('RoomStore');
