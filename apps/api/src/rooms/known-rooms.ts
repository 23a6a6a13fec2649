/** Room names remembered at most (a name costs a few dozen bytes). */
export const KNOWN_ROOMS_MAX = 50_000;

/**
 * Names of rooms known to exist, so that a join's guard asks the store only about a room it has
 * not seen yet (a big room's joins then cost one room read each, the membership's, not two).
 * Only "exists" is remembered, and it cannot go stale: a room is never deleted and never renamed
 * (the RoomStore has no such operation), so no instance needs telling. If rooms ever can be
 * deleted, that change's log entry must {@link forget} the name on every instance.
 * "Does not exist" is never remembered: another instance may create the room at any moment.
 */
export class KnownRooms {
  private readonly names = new Set<string>();

  constructor(private readonly max = KNOWN_ROOMS_MAX) {}

  has(name: string): boolean {
    return this.names.has(name);
  }

  add(name: string): void {
    if (this.names.has(name)) return;
    // The oldest name goes first: a Set keeps insertion order.
    if (this.names.size >= this.max) {
      const oldest = this.names.values().next();
      if (!oldest.done) this.names.delete(oldest.value);
    }
    this.names.add(name);
  }

  forget(name: string): void {
    this.names.delete(name);
  }
}
