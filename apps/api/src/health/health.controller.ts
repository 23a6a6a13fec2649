import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health.js';
import { RedisHealthIndicator } from './redis.health.js';

/** Probes for orchestrators and load balancers (outside /api: they are not part of the product API). */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  /** Alive: the process answers. Restart it when this fails. */
  @Get('healthz')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Ready: it can serve chat (its database answers). Send it no traffic while this fails (503).
   * Redis, when configured, is reported too; its outage only makes the instance `degraded` (200).
   */
  @Get('readyz')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.check(),
      ...(this.redis.configured ? [() => this.redis.check()] : []),
    ]);
  }
}
