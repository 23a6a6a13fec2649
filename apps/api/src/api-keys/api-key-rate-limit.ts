import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from '../common/errors/chat-errors.js';
import { AppConfigService } from '../config/app-config.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { quotaLimiter } from '../quotas/quota-limiter.js';
import { REDIS, type RedisConnections } from '../redis/redis-connections.js';

/** Requests per minute per API key, counted in Redis when there is one (every instance shares it). */
@Injectable()
export class ApiKeyRateLimit {
  private readonly limiter: RateLimiterAbstract | null;

  constructor(
    config: AppConfigService,
    private readonly metrics: MetricsService,
    @Inject(REDIS) redis: RedisConnections | null,
  ) {
    this.limiter = quotaLimiter(
      { name: 'api-key', points: config.get('API_KEY_REQUESTS_PER_MINUTE'), windowSeconds: 60 },
      redis,
    );
  }

  /** Throws RateLimitedError (429 with Retry-After) when the key has used its minute. */
  async take(keyId: string, keyName: string): Promise<void> {
    if (!this.limiter) return;
    try {
      await this.limiter.consume(keyId);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      this.metrics.rateLimited.inc({ limit: 'api-key' });
      throw new RateLimitedError(
        `API key "${keyName}" sent more than ${this.limiter.points} requests this minute: wait and retry`,
        error.msBeforeNext,
      );
    }
  }
}
