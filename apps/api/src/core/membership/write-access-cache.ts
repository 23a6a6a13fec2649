import type { RoomAccess } from '../../storage/membership-store.js';

/** How long a remembered standing is trusted without hearing of a change (a lost bus message). */
export const WRITE_ACCESS_TTL_MS = 30_000;
/** Standings remembered at most (a user and room costs a few dozen bytes). */
export const WRITE_ACCESS_MAX_ENTRIES = 50_000;

/**
 * Users' standing in rooms as the last send read it, so that a user's next sends cost no read.
 * Only a standing that lets the user in is remembered (a muted one too: a mute ends by the clock,
 * checked at each send); a refusal is read again each time, so unban and add need no news. Every change
 * that can take that away is an entry of the room's log (`member`: left, kicked, banned, muted,
 * role) or a `kick` on the bus, both of which {@link forget} the user's entry on every instance.
 * A read that started before a forget is not remembered (`epoch`), so a removal racing a send's
 * read never leaves the old standing behind. A bus message lost without a reconnect (a failed
 * publish) is bounded by the TTL.
 */
export class WriteAccessCache {
  private readonly entries = new Map<string, { access: RoomAccess; expires: number }>();
  private epochValue = 0;

  constructor(
    private readonly ttlMs = WRITE_ACCESS_TTL_MS,
    private readonly maxEntries = WRITE_ACCESS_MAX_ENTRIES,
  ) {}

  /** Changes with every forget: pass the value taken before a read to {@link set}. */
  get epoch(): number {
    return this.epochValue;
  }

  get(room: string, userId: string, now = Date.now()): RoomAccess | undefined {
    const key = keyOf(room, userId);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires > now) return entry.access;
    this.entries.delete(key);
    return undefined;
  }

  /** Remembers `access`, unless something was forgotten since the read began (`epoch`). */
  set(room: string, userId: string, access: RoomAccess, epoch: number, now = Date.now()): void {
    if (epoch !== this.epochValue) return;
    // The oldest entry goes first: a Map keeps insertion order.
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(keyOf(room, userId), { access, expires: now + this.ttlMs });
  }

  forget(room: string, userId: string): void {
    this.epochValue++;
    this.entries.delete(keyOf(room, userId));
  }

  /**
   * Forgets every user's standing in `room` (this instance starts hearing the room again: its
   * changes meanwhile were not heard). A scan: rare (a room's first member on this instance).
   */
  forgetRoom(room: string): void {
    this.epochValue++;
    const prefix = keyOf(room, '');
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** Forgets everything (the bus was away: changes may have been missed). */
  clear(): void {
    this.epochValue++;
    this.entries.clear();
  }
}

// Room names cannot hold a newline.
const keyOf = (room: string, userId: string) => `${room}\n${userId}`;
