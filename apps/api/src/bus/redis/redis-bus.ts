import { Logger } from '@nestjs/common';
import type { Bus, BusEvent, BusListener } from '../bus.js';
import type { RedisConnections } from '../../redis/redis-connections.js';
import { ThrottledWarning } from '../../redis/throttled-warning.js';

/** What goes over the channel: the event and the instance that published it. */
interface Envelope {
  from: string;
  event: BusEvent;
}

/**
 * The bus over Redis pub/sub: one channel for every event, one subscriber connection per
 * instance. An instance's own events reach its listeners synchronously, never through Redis,
 * so it keeps serving its clients while Redis is down. Events that cannot be published then are
 * dropped, not queued: the message store has them, and the others catch up when Redis is back
 * (see {@link Bus.onReconnect}). Redis 7 sharded pub/sub (SSUBSCRIBE per room) is the next step
 * when one channel carries more than one Redis process can fan out.
 */
export class RedisBus implements Bus {
  private readonly listeners = new Set<BusListener>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly logger = new Logger(RedisBus.name);
  private readonly dropWarning = new ThrottledWarning(this.logger);
  private readonly badFrameWarning = new ThrottledWarning(this.logger);
  private readonly channel: string;
  private closed = false;
  /** Events that could not be published (Redis down), since start. */
  dropped = 0;

  constructor(
    private readonly redis: RedisConnections,
    private readonly instanceId: string,
  ) {
    this.channel = redis.key('events');
    redis.subscriber.on('message', (channel: string, raw: string) => {
      if (channel === this.channel) this.receive(raw);
    });
    redis.subscriber.on('ready', () => void this.resubscribe());
    if (redis.subscriber.status === 'ready') void this.resubscribe();
  }

  publish(event: BusEvent): void {
    const envelope: Envelope = { from: this.instanceId, event };
    this.redis.commands.publish(this.channel, JSON.stringify(envelope)).catch((error: Error) => {
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

  /** Stops delivering; the connections belong to {@link RedisConnections} and are closed there. */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.reconnectListeners.clear();
  }

  /**
   * ioredis resubscribes by itself after a reconnect, but announces `ready` before it has; our
   * own SUBSCRIBE is answered after its one, so once it resolves nothing more is being missed
   * and listeners can read what they lost.
   */
  private async resubscribe(): Promise<void> {
    try {
      await this.redis.subscriber.subscribe(this.channel);
    } catch (error) {
      this.logger.warn(`cannot subscribe to ${this.channel}: ${(error as Error).message}`);
      return;
    }
    if (this.closed) return;
    for (const listener of this.reconnectListeners) listener();
  }

  private receive(raw: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(raw) as Envelope;
    } catch {
      this.badFrameWarning.warn(`ignored an unparseable event on ${this.channel}`);
      return;
    }
    // Our own events were delivered when they were published.
    if (envelope.from === this.instanceId || this.closed) return;
    this.deliver(envelope.event);
  }

  private deliver(event: BusEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
