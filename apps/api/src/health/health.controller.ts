import { Controller, Get, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { Request, Response } from 'express';
import { AppConfigService } from '../config/app-config.service.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { isOperator } from './operator-access.js';
import { RedisHealthIndicator } from './redis.health.js';

/** Probes for orchestrators and load balancers (outside /api: they are not part of the product API). */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly config: AppConfigService,
  ) {}

  /** Alive: the process answers. Restart it when this fails. */
  @Get('healthz')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Ready: it can serve chat (its database would take a write). Send it no traffic while this
   * fails (503). Redis, when configured, is reported too; its outage only makes the instance
   * `degraded` (200). Which dependency is down, and why, is for operators only (METRICS_TOKEN or
   * this machine): to anyone else it would map our insides; a balancer needs only the status.
   */
  @Get('readyz')
  async ready(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<HealthCheckResult | Pick<HealthCheckResult, 'status'>> {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([
        () => this.database.check(),
        ...(this.redis.configured ? [() => this.redis.check()] : []),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
      response.status(503);
    }
    response.setHeader('Cache-Control', 'no-store');
    return isOperator(request, this.config.get('METRICS_TOKEN')) ? result : { status: result.status };
  }
}
