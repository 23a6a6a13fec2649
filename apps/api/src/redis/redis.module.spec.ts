import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { BUS } from '../bus/bus.js';
import { BusModule } from '../bus/bus.module.js';
import { LocalBus } from '../bus/local/local-bus.js';
import { RedisBus } from '../bus/redis/redis-bus.js';
import { ConfigModule } from '../config/config.module.js';
import { loadConfig } from '../config/load-config.js';
import { REDIS, RedisConnections } from './redis-connections.js';
import { RedisModule } from './redis.module.js';

/** The bus and RedisModule as the app wires them, with `env` as the whole environment. */
async function compile(env: Record<string, string>) {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error', ...env });
  return Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), BusModule, RedisModule],
  }).compile();
}

describe(RedisModule.name, () => {
  it('should provide no connections without REDIS_URL, and the bus should stay in process', async () => {
    const moduleRef = await compile({});
    expect(moduleRef.get(REDIS)).toBeNull();
    expect(moduleRef.get(BUS)).toBeInstanceOf(LocalBus);
    await moduleRef.close();
  });

  it('should open one pair of connections for everyone, under REDIS_PREFIX, and close them on shutdown', async () => {
    // Reachable or not, the connections are made (start-up waits at most 5 s for Redis).
    const moduleRef = await compile({
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'redis-module-spec:',
    });
    const redis = moduleRef.get<symbol, RedisConnections>(REDIS);
    expect(redis).toBeInstanceOf(RedisConnections);
    expect(redis.key('events')).toBe('redis-module-spec:events');
    expect(moduleRef.get(BUS)).toBeInstanceOf(RedisBus);
    // Registered first: 'end' comes once the socket is gone, a moment after QUIT is answered.
    const ended = Promise.all(
      [redis.commands, redis.subscriber].map(
        (client) => new Promise((resolve) => client.once('end', resolve)),
      ),
    );
    await moduleRef.close();
    await ended;
    expect([redis.commands.status, redis.subscriber.status]).toEqual(['end', 'end']);
  });
});
