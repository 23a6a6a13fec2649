import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfigService } from '../config/app-config.service.js';
import { redactUrl } from '../storage/database.js';
import { BUS, type Bus } from './bus.js';
import { INSTANCE_ID, newInstanceId } from './instance-id.js';
import { LocalBus } from './local/local-bus.js';
import { RedisBus } from './redis/redis-bus.js';
import { REDIS, RedisConnections } from './redis/redis-connections.js';

/** How long start-up waits for Redis before serving this instance's clients without it. */
const REDIS_START_TIMEOUT_MS = 5000;

async function openRedis(config: AppConfigService): Promise<RedisConnections | null> {
  const url = config.get('REDIS_URL');
  if (!url) return null;
  const logger = new Logger('Redis');
  const redis = new RedisConnections(url, config.get('REDIS_PREFIX'));
  if (await redis.ready(REDIS_START_TIMEOUT_MS)) {
    logger.log(`Redis at ${redactUrl(url)} (keys and channels under "${redis.prefix}")`);
  } else {
    // Not fatal: this instance serves its own clients, and joins the others when Redis comes.
    logger.warn(
      `Redis at ${redactUrl(url)} is not reachable yet: serving this instance's clients only until it is`,
    );
  }
  return redis;
}

/** Chooses the bus from the configuration: Redis pub/sub with REDIS_URL, in-process otherwise. */
@Module({
  providers: [
    { provide: INSTANCE_ID, useFactory: newInstanceId },
    { provide: REDIS, inject: [AppConfigService], useFactory: openRedis },
    {
      provide: BUS,
      inject: [REDIS, INSTANCE_ID],
      useFactory: (redis: RedisConnections | null, instanceId: string): Bus =>
        redis ? new RedisBus(redis, instanceId) : new LocalBus(),
    },
  ],
  exports: [BUS, INSTANCE_ID, REDIS],
})
export class BusModule implements OnApplicationShutdown {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(REDIS) private readonly redis: RedisConnections | null,
  ) {}

  /** Runs after the modules that use the bus have said goodbye through it. */
  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.redis?.close();
  }
}
