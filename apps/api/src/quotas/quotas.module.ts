import { Module } from '@nestjs/common';
import { RedisModule } from '../redis/redis.module.js';
import { HttpReadQuotaGuard } from './http-read-quota.guard.js';
import { HttpSearchQuotaGuard } from './http-search-quota.guard.js';
import { Quotas } from './quotas.js';
import { WsReadQuotaGuard } from './ws-read-quota.guard.js';

/** Per-user and per-IP limits shared by every instance (through Redis when configured). */
@Module({
  // The counters live in Redis (under the same prefix as the bus) when it is configured.
  imports: [RedisModule],
  providers: [Quotas, HttpReadQuotaGuard, HttpSearchQuotaGuard, WsReadQuotaGuard],
  exports: [Quotas, HttpReadQuotaGuard, HttpSearchQuotaGuard, WsReadQuotaGuard],
})
export class QuotasModule {}
