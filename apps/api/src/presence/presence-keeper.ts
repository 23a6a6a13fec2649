import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { BUS, type Bus, type BusEvent } from '../bus/bus.js';
import { INSTANCE_ID } from '../bus/instance-id.js';
import { AppConfigService } from '../config/app-config.service.js';
import {
  heartbeatEvery,
  PRESENCE_STORE,
  staleAfter,
  type InstanceEntry,
  type PresenceStore,
} from './presence-store.js';
import { PresenceService } from './presence.service.js';

/** Reads of an instance's presence that raced with its live changes are retried this often. */
const SNAPSHOT_ATTEMPTS = 3;

type PresenceEvent = Extract<BusEvent, { type: 'presence' }>;

/**
 * Keeps this instance's view of other instances' presence true when the bus alone cannot: an
 * instance killed without saying goodbye is dropped once its heartbeat stops, and after a bus
 * outage everyone re-reads everyone from the presence store and rewrites their own. Presence
 * travels on its room's topic, so when this instance starts hearing a room (`Bus.onHeard`: its
 * first member here joined) it reads that room's presence alone from the store, one hash per
 * live instance, not the cluster's; re-reads cover only the rooms it hears. Does nothing
 * without a shared presence store (a single instance).
 */
@Injectable()
export class PresenceKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Presence');
  private readonly subscriptions: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Other instances -> when (our clock) the store last showed them alive. */
  private readonly lastSeen = new Map<string, number>();
  private lastSweepFailed = false;
  /** Rooms being read from the store -> the live presence changes heard during each read. */
  private readonly reading = new Map<string, Set<PresenceEvent[]>>();

  constructor(
    private readonly presence: PresenceService,
    @Inject(PRESENCE_STORE) private readonly store: PresenceStore | null,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(INSTANCE_ID) private readonly instanceId: string,
    private readonly config: AppConfigService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.store) return;
    this.subscriptions.push(
      this.bus.onReconnect(() => void this.resync()),
      this.bus.subscribe((event) => {
        if (event.type === 'presence-sync' && event.instanceId !== this.instanceId)
          void this.reload(event.instanceId);
        if (event.type === 'presence' && event.instanceId !== this.instanceId)
          for (const heard of this.reading.get(event.room) ?? []) heard.push(event);
      }),
      // Heard from now on, so what the read misses arrives live (and retries cover the overlap).
      this.bus.onHeard((topic) => {
        if (!topic.startsWith('room:')) return;
        const room = topic.slice('room:'.length);
        this.presence.trackLoad(room, this.loadRoom(room));
      }),
    );
    const ttl = this.config.get('PRESENCE_TTL_MS');
    this.timer = setInterval(() => void this.beatAndSweep(), heartbeatEvery(ttl));
    this.timer.unref();
    await this.resync();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe();
    // Our users' departures went out over the bus as their sockets closed; this is the record.
    await this.store?.clear().catch(() => undefined);
  }

  /** After (re)connecting: rewrite ours, re-read everyone else's, and ask them to re-read ours. */
  private async resync(): Promise<void> {
    try {
      await this.store!.replace(this.presence.localEntries());
      const stale = staleAfter(this.config.get('PRESENCE_TTL_MS'));
      for (const [instanceId, age] of await this.store!.instances()) {
        if (instanceId !== this.instanceId && age <= stale) await this.reload(instanceId);
      }
      this.bus.publish({ type: 'presence-sync', instanceId: this.instanceId });
    } catch (error) {
      this.logger.warn(`presence not resynchronized (${(error as Error).message}); again when Redis is back`);
    }
  }

  /** Makes our view of `instanceId`, in the rooms we hear, what the store holds for it. */
  private async reload(instanceId: string): Promise<void> {
    const hears = (room: string) => this.presence.hears(room);
    for (let attempt = 1; attempt <= SNAPSHOT_ATTEMPTS; attempt++) {
      const before = this.presence.view.version(instanceId);
      const entries = await this.store!.entriesOf(instanceId, hears).catch(() => null);
      if (!entries) return;
      // A live change of that instance arrived during the read: the read may predate it.
      if (this.presence.view.version(instanceId) !== before && attempt < SNAPSHOT_ATTEMPTS) continue;
      // A room heard since the read began was read on its own (loadRoom), and changed the version.
      this.presence.view.reconcile(
        instanceId,
        entries.filter((entry) => hears(entry.room)),
        hears,
      );
      this.lastSeen.set(instanceId, Date.now());
      return;
    }
  }

  /**
   * Makes our view of `room` what the store holds for it on every other live instance. The room
   * is heard already: changes that arrive during the read are applied again over the snapshot,
   * in order, so a snapshot older than one of them cannot undo it (and one newer than it is
   * followed by that instance's later changes, which arrive after it).
   */
  private async loadRoom(room: string): Promise<void> {
    const stale = staleAfter(this.config.get('PRESENCE_TTL_MS'));
    const heard: PresenceEvent[] = [];
    const buffers = this.reading.get(room) ?? new Set<PresenceEvent[]>();
    this.reading.set(room, buffers.add(heard));
    let entries: InstanceEntry[] | null;
    try {
      entries = await this.store!.roomEntries(room, stale);
    } catch (error) {
      this.logger.warn(
        `presence of ${room} not read (${(error as Error).message}); read again when Redis is back`,
      );
      entries = null;
    } finally {
      buffers.delete(heard);
      if (buffers.size === 0) this.reading.delete(room);
    }
    // Not heard any more (its last member here left meanwhile): nothing to keep true.
    if (!entries || !this.presence.hears(room)) return;
    this.presence.view.reconcileRoom(room, entries, this.instanceId);
    for (const { instanceId, user, change } of heard)
      this.presence.view.apply(instanceId, room, user, change);
    const now = Date.now();
    for (const { instanceId } of entries)
      if (instanceId !== this.instanceId) this.lastSeen.set(instanceId, now);
  }

  private async beatAndSweep(): Promise<void> {
    const stale = staleAfter(this.config.get('PRESENCE_TTL_MS'));
    let ages: Map<string, number>;
    try {
      await this.store!.heartbeat();
      ages = await this.store!.instances();
    } catch {
      this.lastSweepFailed = true; // we cannot see the others: judge nobody
      return;
    }
    const now = Date.now();
    for (const instanceId of this.presence.view.instances()) {
      if (instanceId === this.instanceId) continue;
      const age = ages.get(instanceId);
      const seen = this.lastSeen.get(instanceId);
      let dead: boolean;
      if (age !== undefined) {
        dead = age > stale; // it stopped beating
      } else {
        // Missing altogether is normal for a moment right after Redis restarted (it forgot
        // everything until each instance rewrites itself): only a long silence means dead.
        dead = seen !== undefined && !this.lastSweepFailed && now - seen > stale;
      }
      if (dead) {
        this.logger.log(`instance ${instanceId} stopped beating: its users leave presence`);
        this.presence.view.reconcile(instanceId, []);
        this.lastSeen.delete(instanceId);
      } else if (age !== undefined || seen === undefined || this.lastSweepFailed) {
        this.lastSeen.set(instanceId, now);
      }
    }
    this.lastSweepFailed = false;
  }
}
