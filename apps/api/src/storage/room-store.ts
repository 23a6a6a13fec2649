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
  list(): Promise<RoomRecord[]>;
}

export const ROOM_STORE = Symbol('RoomStore');
