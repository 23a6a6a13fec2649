import { Logger } from '@nestjs/common';
import type { User } from '@chat/contracts';
import type { Redis } from 'ioredis';
import { ThrottledWarning } from '../../redis/throttled-warning.js';
import type { RedisConnections } from '../../redis/redis-connections.js';
import { type InstanceEntry, type PresenceEntry, type PresenceStore } from '../presence-store.js';

// Times come from Redis's clock (TIME), so that instances' clocks need not agree.
// Scores are whole milliseconds, formatted as integers so that Redis parses them exactly.
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function ms(x) return string.format('%d', x) end`;

// The scripts name the room hashes they reach through the index or the instances (not in KEYS):
// fine on one Redis, as is the rest of presence (the instances set is one key for everyone).

/**
 * KEYS: instances zset, own room index. ARGV: instance id, ttl ms, own room hash prefix.
 * Beats (its room hashes live on with it; rooms whose hash is gone leave the index), and forgets
 * long-dead instances.
 */
const BEAT = `${NOW}
redis.call('ZADD', KEYS[1], ms(now), ARGV[1])
for _, room in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('PEXPIRE', ARGV[3] .. room, ARGV[2]) == 0 then redis.call('SREM', KEYS[2], room) end
end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms(now - 10 * tonumber(ARGV[2])))
return 1`;

/** KEYS: instances zset. Every instance and the age of its last beat, flat: id, ms, id, ms... */
const AGES = `${NOW}
local beats = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 2, #beats, 2 do beats[i] = ms(now - tonumber(beats[i])) end
return beats`;

/** KEYS: room hash, own room index. ARGV: user id, room. An emptied room leaves the index. */
const REMOVE = `redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return 1`;

/** KEYS: own room index. ARGV: own room hash prefix. Deletes this instance's whole presence. */
const CLEAR = `for _, room in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('DEL', ARGV[1] .. room) end
redis.call('DEL', KEYS[1])
return 1`;

/** The instances that beat within ARGV[2] ms (KEYS[1]: the instances zset), as `live`. */
const LIVE = `${NOW}
local live = redis.call('ZRANGEBYSCORE', KEYS[1], ms(now - tonumber(ARGV[2])), '+inf')`;

/**
 * KEYS: instances zset. ARGV: room hash prefix (without instance), stale ms, room.
 * Each live instance with someone there and its hash, flat: id, {user id, json...}, id, ...
 */
const ROOM = `${LIVE}
local out = {}
for _, id in ipairs(live) do
  local fields = redis.call('HGETALL', ARGV[1] .. id .. ':' .. ARGV[3])
  if #fields > 0 then out[#out + 1] = id; out[#out + 1] = fields end
end
return out`;

/** KEYS: instances zset. ARGV: room hash prefix (without instance), stale ms, rooms... Their sizes summed over live instances. */
const COUNTS = `${LIVE}
local out = {}
for i = 3, #ARGV do
  local n = 0
  for _, id in ipairs(live) do n = n + redis.call('HLEN', ARGV[1] .. id .. ':' .. ARGV[i]) end
  out[#out + 1] = n
end
return out`;

/**
 * Presence in Redis, by instance and room: a hash per instance and room
 * (`<prefix>presence-room:<id>:<room>`, field user id, value the user as JSON), a set of the
 * instance's rooms (`<prefix>presence-rooms:<id>`), both expiring unless the instance keeps
 * beating, and a sorted set of instances by last beat (`<prefix>instances`). Reading one room
 * costs one hash per live instance; counting a page of rooms, one HLEN per room and instance,
 * all in one script.
 */
export class RedisPresenceStore implements PresenceStore {
  private readonly redis: Redis;
  private readonly index: string;
  private readonly roomPrefix: string;
  private readonly ownPrefix: string;
  private readonly instancesKey: string;
  private readonly warning = new ThrottledWarning(new Logger('Presence'));

  constructor(
    private readonly connections: RedisConnections,
    private readonly instanceId: string,
    private readonly ttlMs: number,
  ) {
    this.redis = connections.commands;
    this.index = this.indexOf(instanceId);
    this.roomPrefix = connections.key('presence-room:');
    this.ownPrefix = `${this.roomPrefix}${instanceId}:`;
    this.instancesKey = connections.key('instances');
  }

  add({ room, user }: PresenceEntry): void {
    const hash = this.ownPrefix + room;
    this.redis
      .multi()
      .hset(hash, user.id, JSON.stringify(user))
      .pexpire(hash, this.ttlMs)
      .sadd(this.index, room)
      .pexpire(this.index, this.ttlMs)
      .exec()
      .catch((error: Error) => this.failed(error));
  }

  remove(room: string, userId: string): void {
    this.redis
      .eval(REMOVE, 2, this.ownPrefix + room, this.index, userId, room)
      .catch((error: Error) => this.failed(error));
  }

  async replace(entries: PresenceEntry[]): Promise<void> {
    const byRoom = new Map<string, string[]>();
    for (const { room, user } of entries) {
      const fields = byRoom.get(room) ?? [];
      fields.push(user.id, JSON.stringify(user));
      byRoom.set(room, fields);
    }
    // One transaction: the others never read this instance half rewritten.
    const transaction = this.redis.multi().eval(CLEAR, 1, this.index, this.ownPrefix);
    for (const [room, fields] of byRoom) {
      transaction.hset(this.ownPrefix + room, ...fields).pexpire(this.ownPrefix + room, this.ttlMs);
    }
    if (byRoom.size > 0) transaction.sadd(this.index, ...byRoom.keys()).pexpire(this.index, this.ttlMs);
    await transaction.exec();
    await this.heartbeat();
  }

  async heartbeat(): Promise<void> {
    await this.redis.eval(
      BEAT,
      2,
      this.instancesKey,
      this.index,
      this.instanceId,
      this.ttlMs,
      this.ownPrefix,
    );
  }

  async instances(): Promise<Map<string, number>> {
    const flat = (await this.redis.eval(AGES, 1, this.instancesKey)) as string[];
    const ages = new Map<string, number>();
    for (let i = 0; i < flat.length; i += 2) ages.set(flat[i]!, Number(flat[i + 1]));
    return ages;
  }

  async entriesOf(instanceId: string, wanted: (room: string) => boolean): Promise<PresenceEntry[]> {
    const rooms = (await this.redis.smembers(this.indexOf(instanceId))).filter(wanted);
    if (rooms.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const room of rooms) pipeline.hgetall(`${this.roomPrefix}${instanceId}:${room}`);
    const results = (await pipeline.exec()) ?? [];
    return rooms.flatMap((room, i) => {
      const [error, fields] = results[i] ?? [];
      if (error) throw error;
      return Object.values(fields as Record<string, string>).map((json) => ({
        room,
        user: JSON.parse(json) as User,
      }));
    });
  }

  async roomEntries(room: string, staleMs: number): Promise<InstanceEntry[]> {
    const flat = (await this.redis.eval(ROOM, 1, this.instancesKey, this.roomPrefix, staleMs, room)) as (
      string | string[]
    )[];
    const entries: InstanceEntry[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const instanceId = flat[i] as string;
      const fields = flat[i + 1] as string[];
      for (let f = 1; f < fields.length; f += 2)
        entries.push({ instanceId, room, user: JSON.parse(fields[f]!) as User });
    }
    return entries;
  }

  async counts(rooms: string[], staleMs: number): Promise<number[]> {
    if (rooms.length === 0) return [];
    const counts = (await this.redis.eval(
      COUNTS,
      1,
      this.instancesKey,
      this.roomPrefix,
      staleMs,
      ...rooms,
    )) as number[];
    return counts.map(Number);
  }

  async clear(): Promise<void> {
    await this.redis
      .multi()
      .eval(CLEAR, 1, this.index, this.ownPrefix)
      .zrem(this.instancesKey, this.instanceId)
      .exec();
  }

  private indexOf(instanceId: string): string {
    return this.connections.key(`presence-rooms:${instanceId}`);
  }

  private failed(error: Error): void {
    this.warning.warn(`presence not written to Redis (${error.message}); rewritten when it is back`);
  }
}
