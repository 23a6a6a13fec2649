import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { REDIS, type RedisConnections } from '../redis/redis-connections.js';

const TIMEOUT_MS = 1000;

/**
 * Whether Redis answers. A Redis outage makes every instance `degraded`, not unready: each keeps
 * serving its own clients (and storing messages), and pulling all of them out of the load
 * balancer at once would turn a partial outage into a total one.
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS) private readonly redis: RedisConnections | null,
    private readonly health: HealthIndicatorService,
  ) {}

  get configured(): boolean {
    return this.redis !== null;
  }

  async check(): Promise<HealthIndicatorResult<'redis'>> {
    const session = this.health.check('redis');
    if (!this.redis) return session.up({ message: 'not configured' });
    try {
      await Promise.race([
        this.redis.commands.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref()),
      ]);
      return session.up();
    } catch (error) {
      return session.degraded({
        message: `unreachable (${(error as Error).message}): cross-instance fan-out paused`,
      });
    }
  }
}
