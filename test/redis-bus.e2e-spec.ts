import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { BusEvent } from '../apps/api/src/bus/bus.js';
import { RedisBus } from '../apps/api/src/bus/redis/redis-bus.js';
import { RedisConnections } from '../apps/api/src/redis/redis-connections.js';
import { redisServerAvailability, startOwnRedis, uniqueRedisPrefix, type OwnRedis } from './utils/redis.js';
import { describeWithService } from './utils/services.js';

const user = { id: 'u', name: 'U', guest: true };
const typing = (room: string): BusEvent => ({ type: 'typing', room, user });

/** Resolves once `condition` holds, polling; fails after `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeWithService(RedisBus.name, redisServerAvailability(), () => {
  let redis: OwnRedis;
  const prefix = uniqueRedisPrefix();
  const instances: { connections: RedisConnections; bus: RedisBus; heard: BusEvent[]; reconnects: number }[] =
    [];

  beforeAll(async () => {
    Logger.overrideLogger(false); // the outage warnings are expected here
    redis = await startOwnRedis();
    for (const id of ['one', 'two']) {
      const connections = new RedisConnections(redis.url, prefix);
      await connections.ready(5000);
      const instance = {
        connections,
        bus: new RedisBus(connections, id),
        heard: [] as BusEvent[],
        reconnects: 0,
      };
      instance.bus.subscribe((event) => instance.heard.push(event));
      instance.bus.onReconnect(() => instance.reconnects++);
      instances.push(instance);
    }
    // Both are subscribed once each has announced its first (re)connection.
    await eventually(() => instances.every((instance) => instance.reconnects >= 1));
  });
  afterAll(async () => {
    for (const { bus, connections } of instances) {
      await bus.close();
      await connections.close();
    }
    await redis?.stop();
  });

  it('should deliver to its own listeners at once, and to the other instance once, never echoing back', async () => {
    const [one, two] = instances as [(typeof instances)[0], (typeof instances)[0]];
    one.bus.publish(typing('a'));
    expect(one.heard).toEqual([typing('a')]); // synchronously
    await eventually(() => two.heard.length === 1);
    two.bus.publish(typing('b'));
    await eventually(() => one.heard.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(one.heard).toEqual([typing('a'), typing('b')]);
    expect(two.heard).toEqual([typing('a'), typing('b')]);
  });

  it('should keep serving locally and drop (not queue) while Redis is down, then resubscribe and say so', async () => {
    const [one, two] = instances as [(typeof instances)[0], (typeof instances)[0]];
    one.heard.length = 0;
    two.heard.length = 0;
    const reconnectsBefore = two.reconnects;
    await redis.stop();
    await eventually(() => one.connections.commands.status !== 'ready');

    one.bus.publish(typing('during'));
    expect(one.heard).toEqual([typing('during')]);
    await eventually(() => one.bus.dropped === 1);

    await redis.start();
    await eventually(() => two.reconnects > reconnectsBefore && one.connections.commands.status === 'ready');
    one.bus.publish(typing('after'));
    await eventually(() => two.heard.length === 1);
    // What was published during the outage is gone for good (the stores are the source of truth).
    expect(two.heard).toEqual([typing('after')]);
  });
});
