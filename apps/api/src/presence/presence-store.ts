import type { User } from '@chat/contracts';

/** One user in one room, as one instance has them. */
export interface PresenceEntry {
  room: string;
  user: User;
}

/**
 * Where each instance keeps its own presence for the others to read, kept alive by a heartbeat:
 * an instance that stops beating (killed, cut off) is dropped by the others. Writes are best
 * effort; {@link PresenceStore.replace} rewrites everything when the store is back.
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
  entriesOf(instanceId: string): Promise<PresenceEntry[]>;
  /** Removes this instance's presence (clean shutdown). */
  clear(): Promise<void>;
}

/** Nest injection token for the {@link PresenceStore}, or null when instances share nothing (no Redis). */
export const PRESENCE_STORE = Symbol('PresenceStore');

/** An instance beats this often (a fifth of PRESENCE_TTL_MS)... */
export const heartbeatEvery = (ttlMs: number) => Math.round(ttlMs / 5);
/** ...and counts as dead once its last beat is this old (half of it): dropped well within the TTL. */
export const staleAfter = (ttlMs: number) => Math.round(ttlMs / 2);
