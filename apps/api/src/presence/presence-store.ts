import type { User } from '@chat/contracts';

/** One user in one room, as one instance has them. */
export interface PresenceEntry {
  room: string;
  user: User;
}

/** One user in one room, and the instance that has them there. */
export interface InstanceEntry extends PresenceEntry {
  instanceId: string;
}

/**
 * Where each instance keeps its own presence for the others to read, kept alive by a heartbeat:
 * an instance that stops beating (killed, cut off) is dropped by the others. It is kept by room,
 * so that an instance that starts hearing a room reads that room only, and the directory counts
 * rooms without reading who is in them. Writes are best effort; {@link PresenceStore.replace}
 * rewrites everything when the store is back.
 */
export interface PresenceStore {
  add(entry: PresenceEntry): void;
  remove(room: string, userId: string): void;
  /** Rewrites this instance's whole presence, and beats. */
  replace(entries: PresenceEntry[]): Promise<void>;
  /** Tells the others this instance is alive. */
  heartbeat(): Promise<void>;
  /** Every instance the store remembers, this one included, with how long ago (ms) it last beat. */
  instances(): Promise<Map<string, number>>;
  /** What `instanceId` has in the rooms `wanted` accepts (the rooms this instance hears). */
  entriesOf(instanceId: string, wanted: (room: string) => boolean): Promise<PresenceEntry[]>;
  /** Who is in `room` on every instance that beat within `staleMs` (this one included). */
  roomEntries(room: string, staleMs: number): Promise<InstanceEntry[]>;
  /**
   * How many users each room has on the instances that beat within `staleMs`, summed over them:
   * a user in a room on two instances at once counts twice.
   */
  counts(rooms: string[], staleMs: number): Promise<number[]>;
  /** Removes this instance's presence (clean shutdown). */
  clear(): Promise<void>;
}

/** Nest injection token for the {@link PresenceStore}, or null when instances share nothing (no Redis). */
export const PRESENCE_STORE = Symbol('PresenceStore');

/** An instance beats this often (a fifth of PRESENCE_TTL_MS)... */
export const heartbeatEvery = (ttlMs: number) => Math.round(ttlMs / 5);
/** ...and counts as dead once its last beat is this old (half of it): dropped well within the TTL. */
export const staleAfter = (ttlMs: number) => Math.round(ttlMs / 2);
