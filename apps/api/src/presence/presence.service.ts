import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { PresenceDiff, User } from '@chat/contracts';
import { BUS, type Bus, type BusEvent } from '../bus/bus.js';
import { INSTANCE_ID } from '../bus/instance-id.js';
import { PRESENCE_STORE, type PresenceEntry, type PresenceStore } from './presence-store.js';
import { PresenceView } from './presence-view.js';

type PresenceEvent = Extract<BusEvent, { type: 'presence' }>;
export type PresenceListener = (diff: PresenceDiff) => void;

/**
 * Who is online in which room, across instances. A user counts once however many tabs they
 * have, and leaves when their last connection in the room goes. Each instance counts its own
 * connections and tells the others (over the bus, and in the shared presence store when there
 * is one) only when a user appears or disappears there.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnApplicationShutdown {
  /** room -> user id -> this instance's connections of that user there */
  private readonly local = new Map<string, Map<string, { user: User; count: number }>>();
  private readonly listeners = new Set<PresenceListener>();
  /** Everyone everywhere, as heard from every instance (this one included). */
  readonly view = new PresenceView((diff) => this.emit(diff));
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(INSTANCE_ID) private readonly instanceId: string,
    @Inject(PRESENCE_STORE) private readonly store: PresenceStore | null,
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
    const users = this.local.get(room) ?? new Map<string, { user: User; count: number }>();
    this.local.set(room, users);
    const here = users.get(user.id) ?? { user, count: 0 };
    users.set(user.id, here);
    if (++here.count === 1)
      this.announce({ type: 'presence', instanceId: this.instanceId, room, user, change: 'joined' });
  }

  /** A connection of `user` left `room` (or disconnected). */
  exit(room: string, user: User): void {
    const users = this.local.get(room);
    const here = users?.get(user.id);
    if (!users || !here) return;
    if (--here.count > 0) return;
    users.delete(user.id);
    if (users.size === 0) this.local.delete(room);
    this.announce({ type: 'presence', instanceId: this.instanceId, room, user, change: 'left' });
  }

  /**
   * `previous` now goes by `next` (same id) on this instance: in every room where this instance
   * has a connection of that user, others see them leave under the old name and join under the new.
   */
  rename(previous: User, next: User): void {
    for (const [room, users] of this.local) {
      const here = users.get(previous.id);
      if (!here) continue;
      const old = here.user;
      here.user = next;
      this.announce({ type: 'presence', instanceId: this.instanceId, room, user: old, change: 'left' });
      this.announce({ type: 'presence', instanceId: this.instanceId, room, user: next, change: 'joined' });
    }
  }

  users(room: string): User[] {
    return this.view.users(room);
  }

  userIn(room: string, userId: string): User | undefined {
    return this.view.userIn(room, userId);
  }

  onlineCount(room: string): number {
    return this.view.onlineCount(room);
  }

  /** Who has a connection on this instance, per room. */
  localEntries(): PresenceEntry[] {
    return [...this.local].flatMap(([room, users]) =>
      [...users.values()].map(({ user }) => ({ room, user })),
    );
  }

  private announce(event: PresenceEvent): void {
    this.apply(event);
    if (event.change === 'joined') this.store?.add({ room: event.room, user: event.user });
    else this.store?.remove(event.room, event.user.id);
    this.bus.publish(event);
  }

  private apply({ room, user, instanceId, change }: PresenceEvent): void {
    this.view.apply(instanceId, room, user, change);
  }

  private emit(diff: PresenceDiff): void {
    for (const listener of this.listeners) listener(diff);
  }
}
