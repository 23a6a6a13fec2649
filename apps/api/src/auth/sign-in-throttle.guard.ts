import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RateLimitedError } from '../common/errors/chat-errors.js';
import { FixedWindowCounter } from '../common/rate-limit/fixed-window-counter.js';
import { AppConfigService } from '../config/app-config.service.js';
import { MetricsService } from '../metrics/metrics.service.js';

const MINUTE_MS = 60_000;

/**
 * Slows down password guessing: sign-in attempts per minute per client IP
 * (LOGIN_LIMIT_PER_IP) and per username (LOGIN_LIMIT_PER_USERNAME); 0 turns one off. Counted
 * in memory, per instance. (@nestjs/throttler would do, but it is CommonJS and cannot load the
 * ESM-only Nest 12 under jest.)
 */
@Injectable()
export class SignInThrottleGuard implements CanActivate {
  private readonly perIp: FixedWindowCounter;
  private readonly perUsername: FixedWindowCounter;

  constructor(
    config: AppConfigService,
    private readonly metrics: MetricsService,
  ) {
    this.perIp = new FixedWindowCounter(config.get('LOGIN_LIMIT_PER_IP'), MINUTE_MS);
    this.perUsername = new FixedWindowCounter(config.get('LOGIN_LIMIT_PER_USERNAME'), MINUTE_MS);
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const username = (request.body as { username?: unknown } | undefined)?.username;
    const verdicts = [this.perIp.hit(`ip:${request.ip ?? 'unknown'}`)];
    if (typeof username === 'string')
      verdicts.push(this.perUsername.hit(username.toLowerCase().slice(0, 64)));
    const refused = verdicts.find((verdict) => !verdict.allowed);
    if (!refused) return true;
    this.metrics.rateLimited.inc({ limit: 'sign-in' });
    const seconds = Math.max(1, Math.ceil(refused.retryAfterMs / 1000));
    http.getResponse<Response>().setHeader('Retry-After', String(seconds));
    throw new RateLimitedError(`too many sign-in attempts: try again in ${seconds} s`);
  }
}
