import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { redactUrl } from '../storage/database.js';
import { ThrottledWarning } from './throttled-warning.js';

/** Nest injection token for this instance's {@link RedisConnections}, or null without REDIS_URL. */
export const REDIS = Symbol('Redis');

/**
 * The two connections an instance keeps to Redis: one for commands and publishing, one in
 * subscriber mode (Redis allows nothing else on it). ioredis reconnects both by itself.
 */
export class RedisConnections {
  /** Commands and PUBLISH. Fails fast while Redis is down instead of queueing without bound. */
  readonly commands: Redis;
  /** SUBSCRIBE only. Queues its few commands while down, so that it resubscribes when back. */
  readonly subscriber: Redis;
  private readonly logger = new Logger('Redis');

  constructor(
    readonly url: string,
    /** Prepended to every key and channel, so that several deployments can share one Redis. */
    readonly prefix: string,
  ) {
    const common = {
      // Retry quickly at first, then every 2 s, forever: Redis coming back is the normal case.
      retryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
      connectTimeout: 5000,
    };
    this.commands = new Redis(url, {
      ...common,
      connectionName: 'chat-commands',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    this.subscriber = new Redis(url, {
      ...common,
      connectionName: 'chat-subscriber',
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
    });
    for (const [role, client] of [
      ['commands', this.commands],
      ['subscriber', this.subscriber],
    ] as const) {
      const problems = new ThrottledWarning(this.logger);
      // Without a listener ioredis prints every failed reconnect attempt to the console.
      client.on('error', (error: Error) => problems.warn(`${role} connection: ${error.message}`));
      let wasReady = false;
      client.on('ready', () => {
        if (wasReady) this.logger.log(`${role} connection to ${redactUrl(url)} is back`);
        wasReady = true;
      });
    }
  }

  /** Resolves true once both connections are ready, or false after `timeoutMs`. */
  async ready(timeoutMs: number): Promise<boolean> {
    const whenReady = (client: Redis) =>
      client.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => client.once('ready', resolve));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const both = Promise.all([whenReady(this.commands), whenReady(this.subscriber)]).then(() => true);
    const result = await Promise.race([both, timeout]);
    clearTimeout(timer);
    return result;
  }

  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** Closes both connections; politely when Redis is there, at once when it is not. */
  async close(): Promise<void> {
    await Promise.all(
      [this.commands, this.subscriber].map(async (client) => {
        if (client.status !== 'ready') {
          client.disconnect();
          return;
        }
        await client.quit().catch(() => client.disconnect());
      }),
    );
  }
}
