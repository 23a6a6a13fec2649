import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { PresenceDiff, User } from '@chat/contracts';
import { BUS, roomTopic, type Bus, type BusEvent } from '../bus/bus.js';
import { INSTANCE_ID } from '../bus/instance-id.js';
import { AppConfigService } from '../config/app-config.service.js';
import { PRESENCE_STORE, staleAfter, type PresenceEntry, type PresenceStore } from './presence-store.js';
import { PresenceView } from './presence-view.js';

type PresenceEvent = Extract<BusEvent, { type: 'presence' }>;
export type PresenceListener = (diff: PresenceDiff) => void;

/**
 * Who is online in which room, across instances. A user counts once however many tabs they
 * have, and leaves when their last connection in the room goes. Each instance counts its own
 * connections and tells the others (over the bus, and in the shared presence store when there
 * is one) only when a user appears or disappears there.
 *
 * Presence travels on its room's topic, so the view holds the other instances' part of a room
 * only while this instance hears it: PresenceKeeper reads the room from the store when hearing
 * starts ({@link PresenceService.loading} until then), and {@link PresenceService.unwatched}
 * forgets it when hearing stops. Rooms not heard are counted from the store
 * ({@link PresenceService.onlineCounts}).
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnApplicationShutdown {
  /** room -> user id -> this instance's connections of that user there */
  private readonly local = new Map<string, Map<string, { user: User; count: number }>>();
  private readonly listeners = new Set<PresenceListener>();
  /** Everyone everywhere, as heard from every instance (this one included). */
  readonly view = new PresenceView((diff) => this.emit(diff));
  /** Rooms whose presence is being read from the store (this instance has just started hearing them). */
  private readonly loads = new Map<string, Promise<void>>();
  private unsubscribe: (() => void) | undefined;
  private readonly staleMs: number;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(INSTANCE_ID) private readonly instanceId: string,
    @Inject(PRESENCE_STORE) private readonly store: PresenceStore | null,
    config: AppConfigService,
  ) {
    this.staleMs = staleAfter(config.get('PRESENCE_TTL_MS'));
  }

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

  /**
   * The online counts of `rooms` (a directory page): from this instance's view for the rooms it
   * hears (exact), from the store for the others, in one round trip. There a user with
   * connections in the room on two instances at once counts twice (the store keeps each
   * instance's part; telling them apart would read every user of the room): a directory's
   * estimate, exact again for anyone who joins. When the store cannot answer, the view's
   * (likely 0) stands in.
   */
  async onlineCounts(rooms: string[]): Promise<number[]> {
    const unheard = this.store ? rooms.filter((room) => !this.hears(room)) : [];
    const counted = new Map<string, number>();
    if (unheard.length > 0) {
      const counts = await this.store!.counts(unheard, this.staleMs).catch(() => null);
      counts?.forEach((count, i) => counted.set(unheard[i]!, count));
    }
    return rooms.map((room) => counted.get(room) ?? this.onlineCount(room));
  }

  /** True while the view of `room` is kept true live: no shared store, or the bus hears the room. */
  hears(room: string): boolean {
    return !this.store || this.bus.hears(roomTopic(room));
  }

  /**
   * This instance stopped watching `room` (its last member here went). Once its presence is not
   * heard any more, the others' part of it would only go stale: forgotten (read again when it is
   * heard again). A bus that hears every room always keeps it.
   */
  unwatched(room: string): void {
    if (!this.hears(room)) this.view.reconcileRoom(room, [], this.instanceId);
  }

  /** Pending while `room`'s presence is being read after this instance started hearing it. */
  loading(room: string): Promise<void> | undefined {
    return this.loads.get(room);
  }

  /** PresenceKeeper's read of `room` (see {@link PresenceService.loading}). */
  trackLoad(room: string, load: Promise<void>): void {
    const tracked = load
      .catch(() => undefined)
      .finally(() => {
        if (this.loads.get(room) === tracked) this.loads.delete(room);
      });
    this.loads.set(room, tracked);
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
