import { afterAll, afterEach, beforeAll, expect, it, jest } from '@jest/globals';
import { Inject, Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { INSTANCE_ID } from '../apps/api/src/bus/instance-id.js';
import { defineClusterEvent } from '../apps/api/src/cluster-events/cluster-event.js';
import { ClusterEvents, type EventOrigin } from '../apps/api/src/cluster-events/cluster-events.js';
import { ClusterEventsModule } from '../apps/api/src/cluster-events/cluster-events.module.js';
import { deleteRedisKeys, redisAvailability, SHARED_REDIS_URL, uniqueRedisPrefix } from './utils/redis.js';
import { describeWithService } from './utils/services.js';
import { startApp, type TestApp } from './utils/start-app.js';

/** A module's own event, as a feature module would declare it. */
const Pinged = defineClusterEvent('test.pinged', z.object({ n: z.number(), by: z.string() }));
type Ping = { n: number; by: string };

/** A feature module's service: it hears every Pinged, typed, and keeps what it heard. */
@Injectable()
class PingRecorder implements OnModuleInit {
  readonly heard: { payload: Ping; origin: EventOrigin }[] = [];
  private waiters: (() => void)[] = [];

  // @Inject names the token itself: lint makes a type-only use `import type`, which leaves no metadata.
  constructor(@Inject(ClusterEvents) readonly events: ClusterEvents) {}

  onModuleInit(): void {
    this.events.on(Pinged, (payload, origin) => {
      // Typed from the token, without a cast: this line does not compile if `n` is not a number.
      const n: number = payload.n;
      this.heard.push({ payload: { ...payload, n }, origin });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Resolves with the first ping heard for which `test` holds (jest's timeout bounds it). */
  async next(test: (ping: Ping) => boolean): Promise<{ payload: Ping; origin: EventOrigin }> {
    for (;;) {
      const found = this.heard.find(({ payload }) => test(payload));
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

@Module({ imports: [ClusterEventsModule], providers: [PingRecorder] })
class PingModule {}

const redis = await redisAvailability();

describeWithService('module events across instances (ClusterEvents on the Redis bus)', redis, () => {
  const prefix = uniqueRedisPrefix();
  let servers: [TestApp, TestApp];
  let raw: Redis;
  const recorder = (server: TestApp) => server.app.get(PingRecorder);
  const instanceId = (server: TestApp) => server.app.get<symbol, string>(INSTANCE_ID);

  beforeAll(async () => {
    const env = { REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix };
    servers = [
      await startApp(env, { imports: [PingModule] }),
      await startApp(env, { imports: [PingModule] }),
    ];
    raw = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 });
    // Both instances must be subscribed before anything is published: pub/sub keeps nothing.
    for (;;) {
      const [, subscribers] = (await raw.pubsub('NUMSUB', `${prefix}events`)) as [string, number];
      if (subscribers >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    raw?.disconnect();
    await Promise.all((servers ?? []).map((server) => server?.close()));
    await deleteRedisKeys(SHARED_REDIS_URL, prefix).catch(() => undefined);
  });

  it("should deliver an event published on A to A's handlers and B's, typed, with its origin", async () => {
    const [a, b] = servers;
    recorder(a).events.publish(Pinged, { n: 1, by: 'a' });
    const onA = await recorder(a).next((ping) => ping.n === 1);
    const onB = await recorder(b).next((ping) => ping.n === 1);
    expect(onA).toEqual({ payload: { n: 1, by: 'a' }, origin: { instanceId: instanceId(a), local: true } });
    expect(onB).toEqual({ payload: { n: 1, by: 'a' }, origin: { instanceId: instanceId(a), local: false } });
    expect(instanceId(a)).not.toBe(instanceId(b));
  });

  it('should drop a malformed payload from the bus with a log line, and deliver the next good one validated', async () => {
    const [a, b] = servers;
    const warn = jest.spyOn(Logger.prototype, 'warn');
    // The bus's wire format: the publisher's instance id, a newline, the event's JSON.
    const envelope = (payload: unknown) =>
      `intruder\n${JSON.stringify({ type: 'module', instanceId: 'intruder', name: 'test.pinged', payload })}`;
    // What an older version of the module, or anything else on the channel, might send.
    await raw.publish(`${prefix}events`, envelope({ n: 'two', by: 'intruder' }));
    // One channel keeps its order: once this one is heard, the bad one was handled before it.
    await raw.publish(`${prefix}events`, envelope({ n: 2, by: 'intruder', extra: 'stripped by the schema' }));
    for (const server of [a, b]) {
      const heard = await recorder(server).next((ping) => ping.by === 'intruder');
      expect(heard).toEqual({
        payload: { n: 2, by: 'intruder' },
        origin: { instanceId: 'intruder', local: false },
      });
      expect(recorder(server).heard.filter(({ payload }) => payload.by === 'intruder')).toHaveLength(1);
    }
    const drops = warn.mock.calls.filter(([message]) =>
      String(message).includes('dropped cluster event test.pinged from instance intruder'),
    );
    expect(drops).toHaveLength(2); // one line per instance
  });

  it('should keep delivering both ways after a malformed event: published on B, heard on A and B', async () => {
    const [a, b] = servers;
    recorder(b).events.publish(Pinged, { n: 3, by: 'b' });
    expect((await recorder(a).next((ping) => ping.n === 3)).origin).toEqual({
      instanceId: instanceId(b),
      local: false,
    });
    expect((await recorder(b).next((ping) => ping.n === 3)).origin).toEqual({
      instanceId: instanceId(b),
      local: true,
    });
  });
});
