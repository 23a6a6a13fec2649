import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfigService } from '../config/app-config.service.js';
import { redactUrl } from '../storage/database.js';
import { REDIS, RedisConnections } from './redis-connections.js';

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

/**
 * This instance's connections to Redis (REDIS: {@link RedisConnections}, or null without
 * REDIS_URL), shared by the bus, presence, quotas and health. One pair per instance, whoever asks.
 */
@Module({
  providers: [{ provide: REDIS, inject: [AppConfigService], useFactory: openRedis }],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisConnections | null) {}

  /**
   * Nest shuts importers down before what they import, so the bus, presence and quotas have
   * said goodbye through these connections by now.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}
