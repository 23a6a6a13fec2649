import { Module } from '@nestjs/common';
import { BusModule } from '../bus/bus.module.js';
import { HttpReadQuotaGuard } from './http-read-quota.guard.js';
import { Quotas } from './quotas.js';
import { WsReadQuotaGuard } from './ws-read-quota.guard.js';

/** Per-user and per-IP limits shared by every instance (through Redis when configured). */
@Module({
  // For the Redis connections (REDIS): the counters live next to the bus's keys.
  imports: [BusModule],
  providers: [Quotas, HttpReadQuotaGuard, WsReadQuotaGuard],
  exports: [Quotas, HttpReadQuotaGuard, WsReadQuotaGuard],
})
export class QuotasModule {}
