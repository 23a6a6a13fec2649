import type { PresenceDiff, User } from '@chat/contracts';
import type { InstanceEntry, PresenceEntry } from './presence-store.js';

interface Seen {
  user: User;
  /** Instances where this user has at least one connection in the room. */
  instances: Set<string>;
}

const keyOf = (room: string, userId: string) => `${room}\u0000${userId}`;

/**
 * Who is online in which room across instances, as this instance has heard it. A user is in a
 * room while at least one instance has them there; `emit` hears when one appears or disappears.
 */
export class PresenceView {
  /** room -> user id -> where they are */
  private readonly rooms = new Map<string, Map<string, Seen>>();
  /** instance -> its entries, for replacing or dropping an instance at once */
  private readonly byInstance = new Map<string, Map<string, PresenceEntry>>();
  /** instance -> how many changes were applied for it (see {@link PresenceView.version}) */
  private readonly versions = new Map<string, number>();

  constructor(private readonly emit: (diff: PresenceDiff) => void) {}

  apply(instanceId: string, room: string, user: User, change: 'joined' | 'left'): void {
    this.versions.set(instanceId, this.version(instanceId) + 1);
    const key = keyOf(room, user.id);
    const entries = this.byInstance.get(instanceId) ?? new Map<string, PresenceEntry>();
    if (change === 'left') {
      entries.delete(key);
      if (entries.size === 0) this.byInstance.delete(instanceId);
      const users = this.rooms.get(room);
      const seen = users?.get(user.id);
      if (!users || !seen || !seen.instances.delete(instanceId) || seen.instances.size > 0) return;
      users.delete(user.id);
      if (users.size === 0) this.rooms.delete(room);
      this.emit({ room, joined: [], left: [seen.user] });
      return;
    }
    entries.set(key, { room, user });
    this.byInstance.set(instanceId, entries);
    const users = this.rooms.get(room) ?? new Map<string, Seen>();
    this.rooms.set(room, users);
    const seen = users.get(user.id);
    if (seen) {
      seen.instances.add(instanceId);
      return;
    }
    users.set(user.id, { user, instances: new Set([instanceId]) });
    this.emit({ room, joined: [user], left: [] });
  }

  /**
   * Makes what `instanceId` has exactly `entries` (an empty list drops the instance), in the rooms
   * `within` accepts (all by default): what it has elsewhere stays.
   */
  reconcile(
    instanceId: string,
    entries: PresenceEntry[],
    within: (room: string) => boolean = () => true,
  ): void {
    const wanted = new Map(entries.map((entry) => [keyOf(entry.room, entry.user.id), entry]));
    const current = this.byInstance.get(instanceId) ?? new Map<string, PresenceEntry>();
    for (const [key, { room, user }] of [...current]) {
      if (within(room) && !wanted.has(key)) this.apply(instanceId, room, user, 'left');
    }
    for (const [key, { room, user }] of wanted) {
      if (!current.has(key)) this.apply(instanceId, room, user, 'joined');
    }
  }

  /**
   * Makes `room` hold exactly `entries` for every instance but `keep` (this one: its own are
   * known first hand). An empty list forgets the others' part of the room.
   */
  reconcileRoom(room: string, entries: InstanceEntry[], keep: string): void {
    const wanted = new Map<string, InstanceEntry>();
    for (const entry of entries)
      if (entry.instanceId !== keep) wanted.set(`${entry.instanceId}\u0000${entry.user.id}`, entry);
    for (const [userId, seen] of [...(this.rooms.get(room) ?? [])]) {
      for (const instanceId of [...seen.instances]) {
        if (instanceId !== keep && !wanted.has(`${instanceId}\u0000${userId}`))
          this.apply(instanceId, room, seen.user, 'left');
      }
    }
    for (const { instanceId, user } of wanted.values()) {
      if (!this.byInstance.get(instanceId)?.has(keyOf(room, user.id)))
        this.apply(instanceId, room, user, 'joined');
    }
  }

  /** Instances that have someone in some room. */
  instances(): string[] {
    return [...this.byInstance.keys()];
  }

  /** Changes when anything of `instanceId` changes: a snapshot read across a change is stale. */
  version(instanceId: string): number {
    return this.versions.get(instanceId) ?? 0;
  }

  users(room: string): User[] {
    return [...(this.rooms.get(room)?.values() ?? [])].map((seen) => seen.user);
  }

  /** The user as present in the room now, or undefined. */
  userIn(room: string, userId: string): User | undefined {
    return this.rooms.get(room)?.get(userId)?.user;
  }

  onlineCount(room: string): number {
    return this.rooms.get(room)?.size ?? 0;
  }
}
