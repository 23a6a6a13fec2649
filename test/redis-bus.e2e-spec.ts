import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { roomTopic, userTopic, type BusEvent, type BusTopic } from '../apps/api/src/bus/bus.js';
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
  const instances: {
    connections: RedisConnections;
    bus: RedisBus;
    heard: BusEvent[];
    reconnects: number;
    parsed: number;
    heardTopics: BusTopic[];
  }[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(false); // the outage warnings are expected here
    redis = await startOwnRedis();
    for (const id of ['one', 'two']) {
      const connections = new RedisConnections(redis.url, prefix);
      await connections.ready(5000);
      const instance = {
        connections,
        bus: undefined as unknown as RedisBus,
        heard: [] as BusEvent[],
        reconnects: 0,
        parsed: 0,
        heardTopics: [] as BusTopic[],
      };
      instance.bus = new RedisBus(connections, id, { received: () => instance.parsed++, unwatchGraceMs: 50 });
      instance.bus.subscribe((event) => instance.heard.push(event));
      instance.bus.onReconnect(() => instance.reconnects++);
      instance.bus.onHeard((topic) => instance.heardTopics.push(topic));
      // The rooms of the first two tests: both instances have members there.
      for (const room of ['a', 'b', 'during', 'after']) await instance.bus.watch(roomTopic(room));
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

  it("should carry a room's or a user's events only to the instances that watch it", async () => {
    const [one, two] = instances as [(typeof instances)[0], (typeof instances)[0]];
    one.heard.length = 0;
    two.heard.length = 0;
    const parsedBefore = two.parsed;
    await one.bus.watch(roomTopic('mine'));
    expect(one.bus.hears(roomTopic('mine'))).toBe(true);
    expect(two.bus.hears(roomTopic('mine'))).toBe(false);
    const kick: BusEvent = { type: 'kick', room: 'mine', userId: 'carol' };
    await two.bus.watch(userTopic('dave'));
    const read: BusEvent = {
      type: 'user-channel',
      userId: 'dave',
      frame: { event: 'read', data: { room: 'mine', seq: 3 } },
    };
    two.bus.publish(typing('mine')); // heard by one (it watches), parsed once there
    two.bus.publish(kick); // carol is connected nowhere: nobody else hears it
    one.bus.publish(read); // dave is connected to two
    one.bus.publish(typing('b')); // both watch b: the marker that everything before arrived
    // Own events are heard at once, the others' through Redis.
    await eventually(() => two.heard.length === 4 && one.heard.length === 3);
    expect(one.heard).toEqual([read, typing('b'), typing('mine')]);
    expect(two.heard).toEqual([typing('mine'), kick, read, typing('b')]);
    // Two parsed only what it watches: dave's frame and room b's typing, not room mine's.
    expect(two.parsed - parsedBefore).toBe(2);
  });

  it('should stop hearing a topic after its grace, and say when it is heard again', async () => {
    const [one, two] = instances as [(typeof instances)[0], (typeof instances)[0]];
    await two.bus.watch(roomTopic('brief'));
    expect(two.heardTopics).toContain(roomTopic('brief'));
    two.bus.unwatch(roomTopic('brief'));
    expect(two.bus.hears(roomTopic('brief'))).toBe(false);
    await eventually(() => two.bus.watched('room') === 4); // a, b, during, after
    two.heard.length = 0;
    const parsedBefore = two.parsed;
    one.bus.publish(typing('brief'));
    one.bus.publish(typing('b'));
    await eventually(() => two.heard.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(two.heard).toEqual([typing('b')]);
    expect(two.parsed - parsedBefore).toBe(1);

    const heardBefore = two.heardTopics.length;
    await two.bus.watch(roomTopic('brief'));
    expect(two.heardTopics.slice(heardBefore)).toEqual([roomTopic('brief')]);
    one.bus.publish(typing('brief'));
    await eventually(() => two.heard.length === 2);
    expect(two.heard[1]).toEqual(typing('brief'));
  });
});
