import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisConnections } from '../bus/redis/redis-connections.js';

export interface QuotaRule {
  /** Part of the Redis key: `<REDIS_PREFIX>quota:<name>:...`. */
  name: string;
  /** Events allowed per window; 0 turns the limit off. */
  points: number;
  windowSeconds: number;
}

/**
 * A fixed-window counter for one rule. With Redis every instance counts in the same key, so N
 * instances allow the limit once, not N times. While Redis is unreachable the count falls back
 * to this instance's memory (the insurance limiter): limits keep holding per instance instead of
 * failing every send, or letting everything through.
 */
export function quotaLimiter(rule: QuotaRule, redis: RedisConnections | null): RateLimiterAbstract | null {
  if (rule.points <= 0) return null;
  const options = { points: rule.points, duration: rule.windowSeconds, keyPrefix: `quota:${rule.name}` };
  const memory = new RateLimiterMemory(options);
  if (!redis) return memory;
  return new RateLimiterRedis({
    ...options,
    keyPrefix: redis.key(options.keyPrefix),
    storeClient: redis.commands,
    // Not connected: count in memory at once instead of waiting for a command that will fail.
    rejectIfRedisNotReady: true,
    // Once a key is over its quota, refuse it from memory until its window ends: a flood that is
    // being refused costs no Redis round trip per frame.
    inMemoryBlockOnConsumed: rule.points + 1,
    insuranceLimiter: memory,
  });
}
