import type { BusTopic } from '../bus.js';

/** Sharded pub/sub as seen from here: SSUBSCRIBE and SUNSUBSCRIBE of one channel each. */
export interface ShardedSubscriber {
  subscribe(topic: BusTopic): Promise<unknown>;
  unsubscribe(topic: BusTopic): Promise<unknown>;
}

/**
 * A topic nobody here needs any more stays subscribed this long: a user who reloads the page or
 * a room whose last member steps out and back costs no SUNSUBSCRIBE and SSUBSCRIBE pair (and no
 * catch-up read). Its events are not parsed meanwhile.
 */
export const UNWATCH_GRACE_MS = 5_000;
/** A watch waits at most this long for Redis to confirm (Redis slow or down: don't hold a join). */
export const WATCH_WAIT_MS = 1_000;

interface TopicState {
  /** False during the grace after the last unwatch. */
  wanted: boolean;
  /** Redis confirmed the subscription. */
  confirmed: boolean;
  /** Redis refused it: tried again at the next reconnect ({@link TopicSubscriptions.retryRefused}). */
  refused: boolean;
  subscribed: Promise<void>;
  graceTimer: NodeJS.Timeout | undefined;
}

/**
 * Which topics this instance subscribes to, with a grace before unsubscribing. Tells `heard`
 * each time a topic becomes heard: at Redis's confirmation, or at once when a watch comes back
 * during the grace (events that arrived meanwhile were skipped, unparsed).
 */
export class TopicSubscriptions {
  private readonly topics = new Map<BusTopic, TopicState>();

  constructor(
    private readonly redis: ShardedSubscriber,
    private readonly heard: (topic: BusTopic) => void,
    private readonly failed: (topic: BusTopic, error: Error) => void,
    private readonly graceMs = UNWATCH_GRACE_MS,
    private readonly waitMs = WATCH_WAIT_MS,
  ) {}

  watch(topic: BusTopic): Promise<void> {
    const known = this.topics.get(topic);
    if (known) {
      if (!known.wanted) {
        known.wanted = true;
        clearTimeout(known.graceTimer);
        known.graceTimer = undefined;
        if (known.confirmed) this.heard(topic);
      }
      return known.confirmed ? Promise.resolve() : this.bounded(known.subscribed);
    }
    const state: TopicState = {
      wanted: true,
      confirmed: false,
      refused: false,
      subscribed: Promise.resolve(),
      graceTimer: undefined,
    };
    this.topics.set(topic, state);
    this.subscribe(topic, state);
    return this.bounded(state.subscribed);
  }

  /** Subscribes again to what Redis refused (called once the link is back). */
  retryRefused(): void {
    for (const [topic, state] of this.topics) if (state.refused) this.subscribe(topic, state);
  }

  private subscribe(topic: BusTopic, state: TopicState): void {
    state.refused = false;
    state.subscribed = this.redis.subscribe(topic).then(
      () => {
        if (this.topics.get(topic) !== state) return;
        state.confirmed = true;
        if (state.wanted) this.heard(topic);
      },
      (error: Error) => {
        if (this.topics.get(topic) !== state) return;
        state.refused = true;
        this.failed(topic, error);
      },
    );
  }

  unwatch(topic: BusTopic): void {
    const state = this.topics.get(topic);
    if (!state || !state.wanted) return;
    state.wanted = false;
    state.graceTimer = setTimeout(() => {
      if (this.topics.get(topic) !== state) return;
      this.topics.delete(topic);
      this.redis.unsubscribe(topic).catch(() => undefined); // gone with the connection anyway
    }, this.graceMs);
    state.graceTimer.unref();
  }

  /** Wanted and confirmed: its events are for us. */
  hears(topic: BusTopic): boolean {
    const state = this.topics.get(topic);
    return state !== undefined && state.wanted && state.confirmed;
  }

  /** Wanted (confirmed or not): an event of it that arrives is parsed and delivered. */
  wants(topic: BusTopic): boolean {
    return this.topics.get(topic)?.wanted ?? false;
  }

  /** How many topics are wanted, by kind (for the metrics). */
  count(kind: 'room' | 'user'): number {
    let n = 0;
    for (const [topic, state] of this.topics) if (state.wanted && topic.startsWith(kind)) n++;
    return n;
  }

  close(): void {
    for (const state of this.topics.values()) clearTimeout(state.graceTimer);
    this.topics.clear();
  }

  private bounded(subscribed: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.waitMs);
      timer.unref();
    });
    return Promise.race([subscribed, waited]).finally(() => clearTimeout(timer));
  }
}
