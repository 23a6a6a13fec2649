import { Logger } from '@nestjs/common';
import { topicOf, type Bus, type BusEvent, type BusListener, type BusTopic } from '../bus.js';
import type { RedisConnections } from '../../redis/redis-connections.js';
import { ThrottledWarning } from '../../redis/throttled-warning.js';
import { TopicSubscriptions } from './topic-subscriptions.js';

/** Which channel an event parsed from another instance came on (for the metrics). */
export type ChannelKind = 'room' | 'user' | 'all';

export interface RedisBusOptions {
  /** Told of each event of another instance parsed here. */
  received?: (kind: ChannelKind, event: BusEvent) => void;
  /** Grace and wait of the topic subscriptions (tests shorten them). */
  unwatchGraceMs?: number;
}

const kindOf = (topic: BusTopic): ChannelKind => (topic.startsWith('room:') ? 'room' : 'user');

/**
 * The bus over Redis: a room's events on its own sharded channel (SPUBLISH/SSUBSCRIBE, Redis 7),
 * subscribed while this instance has a member of the room; a user's on theirs, while the user
 * has a connection here (presence travels with its room); the rest (`presence-sync`, cluster
 * events) on one channel every instance hears. So an instance parses the traffic of its own rooms and users, not the cluster's, and
 * a Redis Cluster spreads the rooms over its shards. What goes where: {@link topicOf}.
 *
 * An instance's own events reach its listeners synchronously, never through Redis, so it keeps
 * serving its clients while Redis is down. Events that cannot be published then are dropped,
 * not queued: the message store has them, and the others catch up when Redis is back
 * (see {@link Bus.onReconnect}).
 *
 * On the wire a message is the publisher's instance id, a newline and the event's JSON: an
 * instance skips its own echo (and a topic in its unsubscribe grace) without parsing it.
 */
export class RedisBus implements Bus {
  private readonly listeners = new Set<BusListener>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly heardListeners = new Set<(topic: BusTopic) => void>();
  private readonly logger = new Logger(RedisBus.name);
  private readonly dropWarning = new ThrottledWarning(this.logger);
  private readonly badFrameWarning = new ThrottledWarning(this.logger);
  private readonly subscribeWarning = new ThrottledWarning(this.logger);
  private readonly channel: string;
  private readonly ownPrefix: string;
  private readonly topics: TopicSubscriptions;
  private readonly received: RedisBusOptions['received'];
  private closed = false;
  /** Events that could not be published (Redis down), since start. */
  dropped = 0;

  constructor(
    private readonly redis: RedisConnections,
    private readonly instanceId: string,
    { received, unwatchGraceMs }: RedisBusOptions = {},
  ) {
    this.received = received;
    this.channel = redis.key('events');
    this.ownPrefix = `${instanceId}\n`;
    this.topics = new TopicSubscriptions(
      {
        subscribe: (topic) => redis.subscriber.ssubscribe(redis.key(topic)),
        unsubscribe: (topic) => redis.subscriber.sunsubscribe(redis.key(topic)),
      },
      (topic) => this.heard(topic),
      (topic, error) => this.subscribeWarning.warn(`cannot subscribe to ${topic}: ${error.message}`),
      unwatchGraceMs,
    );
    redis.subscriber.on('message', (channel: string, raw: string) => {
      if (channel === this.channel) this.receive(raw, 'all');
    });
    redis.subscriber.on('smessage', (channel: string, raw: string) => {
      const topic = channel.slice(redis.prefix.length) as BusTopic;
      if (this.topics.wants(topic)) this.receive(raw, kindOf(topic));
    });
    redis.subscriber.on('ready', () => void this.resubscribe());
    if (redis.subscriber.status === 'ready') void this.resubscribe();
  }

  publish(event: BusEvent): void {
    const topic = topicOf(event);
    const raw = this.ownPrefix + JSON.stringify(event);
    const sent =
      topic === null
        ? this.redis.commands.publish(this.channel, raw)
        : this.redis.commands.spublish(this.redis.key(topic), raw);
    sent.catch((error: Error) => {
      this.dropped++;
      this.dropWarning.warn(
        `an event was not sent to the other instances (${error.message}); they catch up from the store when Redis is back`,
      );
    });
    this.deliver(event);
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  watch(topic: BusTopic): Promise<void> {
    return this.closed ? Promise.resolve() : this.topics.watch(topic);
  }

  unwatch(topic: BusTopic): void {
    this.topics.unwatch(topic);
  }

  hears(topic: BusTopic): boolean {
    return this.topics.hears(topic) && this.redis.subscriber.status === 'ready';
  }

  onHeard(listener: (topic: BusTopic) => void): () => void {
    this.heardListeners.add(listener);
    return () => this.heardListeners.delete(listener);
  }

  /** Topics this instance subscribes to, by kind (a gauge in the metrics). */
  watched(kind: 'room' | 'user'): number {
    return this.topics.count(kind);
  }

  /** Stops delivering; the connections belong to {@link RedisConnections} and are closed there. */
  async close(): Promise<void> {
    this.closed = true;
    this.topics.close();
    this.listeners.clear();
    this.reconnectListeners.clear();
    this.heardListeners.clear();
  }

  /**
   * ioredis resubscribes by itself after a reconnect (the sharded channels too), but announces
   * `ready` before it has; our own SUBSCRIBE is answered after its ones, so once it resolves
   * nothing more is being missed and listeners can read what they lost.
   */
  private async resubscribe(): Promise<void> {
    this.topics.retryRefused();
    try {
      await this.redis.subscriber.subscribe(this.channel);
    } catch (error) {
      this.logger.warn(`cannot subscribe to ${this.channel}: ${(error as Error).message}`);
      return;
    }
    if (this.closed) return;
    for (const listener of this.reconnectListeners) listener();
  }

  private heard(topic: BusTopic): void {
    if (this.closed) return;
    for (const listener of this.heardListeners) listener(topic);
  }

  private receive(raw: string, kind: ChannelKind): void {
    // Our own events were delivered when they were published.
    if (this.closed || raw.startsWith(this.ownPrefix)) return;
    let event: BusEvent;
    try {
      event = JSON.parse(raw.slice(raw.indexOf('\n') + 1)) as BusEvent;
    } catch {
      this.badFrameWarning.warn(`ignored an unparseable event on a ${kind} channel`);
      return;
    }
    this.received?.(kind, event);
    this.deliver(event);
  }

  private deliver(event: BusEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
