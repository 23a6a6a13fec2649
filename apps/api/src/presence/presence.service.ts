import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { PresenceDiff, User } from '@chat/contracts';
import { BUS, type Bus, type BusEvent } from '../bus/bus.js';
import { INSTANCE_ID } from '../bus/instance-id.js';

type PresenceEvent = Extract<BusEvent, { type: 'presence' }>;
export type PresenceListener = (diff: PresenceDiff) => void;

interface Seen {
  user: User;
  /** Instances where this user has at least one connection in the room. */
  instances: Set<string>;
}

/**
 * Who is online in which room, across instances. A user counts once however many tabs they
 * have, and leaves when their last connection in the room goes. Each instance counts its own
 * connections and tells the others (over the bus) only when a user appears or disappears there.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnApplicationShutdown {
  /** room -> user id -> connections on this instance */
  private readonly local = new Map<string, Map<string, number>>();
  /** room -> user id -> where they are */
  private readonly view = new Map<string, Map<string, Seen>>();
  private readonly listeners = new Set<PresenceListener>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(INSTANCE_ID) private readonly instanceId: string,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((event) => {
      // Our own changes were applied when they happened; only other instances' matter here.
      if (event.type === 'presence' && event.instanceId !== this.instanceId) this.apply(event);
    });
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  /** Listens to changes of any room's presence; returns the function that stops listening. */
  onChange(listener: PresenceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A connection of `user` is now in `room`. */
  enter(room: string, user: User): void {
    const counts = this.local.get(room) ?? new Map<string, number>();
    this.local.set(room, counts);
    const count = (counts.get(user.id) ?? 0) + 1;
    counts.set(user.id, count);
    if (count === 1)
      this.announce({ type: 'presence', instanceId: this.instanceId, room, user, change: 'joined' });
  }

  /** A connection of `user` left `room` (or disconnected). */
  exit(room: string, user: User): void {
    const counts = this.local.get(room);
    const count = counts?.get(user.id);
    if (!counts || count === undefined) return;
    if (count > 1) {
      counts.set(user.id, count - 1);
      return;
    }
    counts.delete(user.id);
    if (counts.size === 0) this.local.delete(room);
    this.announce({ type: 'presence', instanceId: this.instanceId, room, user, change: 'left' });
  }

  users(room: string): User[] {
    return [...(this.view.get(room)?.values() ?? [])].map((seen) => seen.user);
  }

  onlineCount(room: string): number {
    return this.view.get(room)?.size ?? 0;
  }

  private announce(event: PresenceEvent): void {
    this.apply(event);
    this.bus.publish(event);
  }

  private apply({ room, user, instanceId, change }: PresenceEvent): void {
    const users = this.view.get(room) ?? new Map<string, Seen>();
    this.view.set(room, users);
    const seen = users.get(user.id);
    if (change === 'joined') {
      if (seen) {
        seen.instances.add(instanceId);
        return;
      }
      users.set(user.id, { user, instances: new Set([instanceId]) });
      this.emit({ room, joined: [user], left: [] });
    } else if (seen) {
      seen.instances.delete(instanceId);
      if (seen.instances.size > 0) return;
      users.delete(user.id);
      if (users.size === 0) this.view.delete(room);
      this.emit({ room, joined: [], left: [seen.user] });
    }
  }

  private emit(diff: PresenceDiff): void {
    for (const listener of this.listeners) listener(diff);
  }
}
