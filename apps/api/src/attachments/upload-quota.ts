import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from '../common/errors/chat-errors.js';
import { AppConfigService } from '../config/app-config.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { Quota } from '../quotas/quota.js';
import { quotaLimiter } from '../quotas/quota-limiter.js';
import { REDIS, type RedisConnections } from '../redis/redis-connections.js';

const HOUR = 3600;

/**
 * Uploads and uploaded bytes per account per hour, over all instances (through Redis when it is
 * configured, as the other quotas). The bytes are counted once a file is stored: the upload that
 * passes the hour's budget succeeds, the next one is refused before it is read.
 */
@Injectable()
export class UploadQuota {
  private readonly uploads: Quota;
  private readonly bytes: RateLimiterAbstract | null;

  constructor(
    config: AppConfigService,
    private readonly metrics: MetricsService,
    @Inject(REDIS) redis: RedisConnections | null,
  ) {
    const perHour = config.get('UPLOADS_PER_HOUR_PER_USER');
    this.uploads = new Quota(
      'uploads',
      quotaLimiter({ name: 'uploads:user', points: perHour, windowSeconds: HOUR }, redis),
      null,
      () => metrics.rateLimited.inc({ limit: 'uploads' }),
    );
    const bytes = config.get('UPLOAD_BYTES_PER_HOUR_PER_USER');
    this.bytes = quotaLimiter({ name: 'upload-bytes:user', points: bytes, windowSeconds: HOUR }, redis);
  }

  /** Before the file is read: throws `rate_limited` when the hour's uploads or bytes are spent. */
  async admit(userId: string): Promise<void> {
    const spent = this.bytes && (await this.bytes.get(userId));
    if (this.bytes && spent && spent.consumedPoints >= this.bytes.points) {
      this.metrics.rateLimited.inc({ limit: 'upload-bytes' });
      throw new RateLimitedError(
        `too many bytes uploaded for your account: at most ${this.bytes.points} per hour; retry in ${Math.ceil(spent.msBeforeNext / 1000)} s`,
        spent.msBeforeNext,
      );
    }
    await this.uploads.take({ userId });
  }

  /** After the file is stored: counts its bytes (past the budget too: the next upload is refused). */
  async stored(userId: string, size: number): Promise<void> {
    if (!this.bytes) return;
    try {
      await this.bytes.consume(userId, size);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
    }
  }
}
