import { Logger } from '@nestjs/common';
import type { User } from '@chat/contracts';
import type { Redis } from 'ioredis';
import { ThrottledWarning } from '../../redis/throttled-warning.js';
import type { RedisConnections } from '../../redis/redis-connections.js';
import { type PresenceEntry, type PresenceStore } from '../presence-store.js';

// Times come from Redis's clock (TIME), so that instances' clocks need not agree.
// Scores are whole milliseconds, formatted as integers so that Redis parses them exactly.
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function ms(x) return string.format('%d', x) end`;
/** KEYS: instances zset, own hash. ARGV: instance id, ttl ms. Beats, and forgets long-dead instances. */
const BEAT = `${NOW}
redis.call('ZADD', KEYS[1], ms(now), ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms(now - 10 * tonumber(ARGV[2])))
return 1`;
/** KEYS: instances zset. Every instance and the age of its last beat, flat: id, ms, id, ms... */
const AGES = `${NOW}
local beats = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 2, #beats, 2 do beats[i] = ms(now - tonumber(beats[i])) end
return beats`;

/**
 * Presence in Redis: a hash per instance (`<prefix>presence:<id>`, field room + NUL + user id,
 * value the user as JSON) that expires unless its instance keeps beating, and a sorted set of
 * instances by last beat (`<prefix>instances`).
 */
export class RedisPresenceStore implements PresenceStore {
  private readonly redis: Redis;
  private readonly hash: string;
  private readonly instancesKey: string;
  private readonly warning = new ThrottledWarning(new Logger('Presence'));

  constructor(
    private readonly connections: RedisConnections,
    private readonly instanceId: string,
    private readonly ttlMs: number,
  ) {
    this.redis = connections.commands;
    this.hash = this.hashOf(instanceId);
    this.instancesKey = connections.key('instances');
  }

  add({ room, user }: PresenceEntry): void {
    this.redis
      .multi()
      .hset(this.hash, field(room, user.id), JSON.stringify(user))
      .pexpire(this.hash, this.ttlMs)
      .exec()
      .catch((error: Error) => this.failed(error));
  }

  remove(room: string, userId: string): void {
    this.redis.hdel(this.hash, field(room, userId)).catch((error: Error) => this.failed(error));
  }

  async replace(entries: PresenceEntry[]): Promise<void> {
    const transaction = this.redis.multi().del(this.hash);
    if (entries.length > 0) {
      const fields = entries.flatMap(({ room, user }) => [field(room, user.id), JSON.stringify(user)]);
      transaction.hset(this.hash, ...fields);
    }
    await transaction.exec();
    await this.heartbeat();
  }

  async heartbeat(): Promise<void> {
    await this.redis.eval(BEAT, 2, this.instancesKey, this.hash, this.instanceId, this.ttlMs);
  }

  async instances(): Promise<Map<string, number>> {
    const flat = (await this.redis.eval(AGES, 1, this.instancesKey)) as string[];
    const ages = new Map<string, number>();
    for (let i = 0; i < flat.length; i += 2) ages.set(flat[i]!, Number(flat[i + 1]));
    return ages;
  }

  async entriesOf(instanceId: string): Promise<PresenceEntry[]> {
    const fields = await this.redis.hgetall(this.hashOf(instanceId));
    return Object.entries(fields).map(([key, json]) => ({
      room: key.slice(0, key.indexOf('\u0000')),
      user: JSON.parse(json) as User,
    }));
  }

  async clear(): Promise<void> {
    await this.redis.multi().del(this.hash).zrem(this.instancesKey, this.instanceId).exec();
  }

  private hashOf(instanceId: string): string {
    return this.connections.key(`presence:${instanceId}`);
  }

  private failed(error: Error): void {
    this.warning.warn(`presence not written to Redis (${error.message}); rewritten when it is back`);
  }
}

function field(room: string, userId: string): string {
  return `${room}\u0000${userId}`;
}
