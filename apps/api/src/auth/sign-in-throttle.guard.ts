import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RateLimitedError } from '../common/errors/chat-errors.js';
import { FixedWindowCounter } from '../common/rate-limit/fixed-window-counter.js';
import { ipKey } from '../common/rate-limit/ip-key.js';
import { AppConfigService } from '../config/app-config.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { KnownAddresses } from './known-addresses.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** How long an address that signed in to an account stays exempt from that account's lockout. */
const KNOWN_ADDRESS_MS = 30 * 24 * HOUR_MS;
/**
 * Attempts an hour each address still gets for a username past its failure limit: the owner's
 * first attempt from a new address is never refused by it, and a guesser spread over many
 * addresses gets at most this many guesses per address per hour.
 */
export const ATTEMPTS_PER_ADDRESS_WHEN_LOCKED = 2;

/**
 * Slows down password guessing without handing an attacker a way to lock the real user out:
 * - per client IP, every attempt (LOGIN_LIMIT_PER_IP a minute);
 * - per username and IP, every attempt (LOGIN_LIMIT_PER_USERNAME a minute): guessing one account
 *   from one address; another address is not affected;
 * - per username across all addresses, failed logins only (LOGIN_FAILURES_PER_USERNAME an hour,
 *   far higher): guessing spread over many addresses. Past it, an address that signed in to the
 *   username successfully in the last 30 days is not affected, and any other address still gets
 *   its first ATTEMPTS_PER_ADDRESS_WHEN_LOCKED attempts of the hour for it (counted from before
 *   the limit was reached too), so the owner is never locked out by someone else's failures.
 * 0 turns one off. Counted in memory, per instance. (@nestjs/throttler would do, but it is
 * CommonJS and cannot load the ESM-only Nest 12 under jest.)
 */
@Injectable()
export class SignInThrottleGuard implements CanActivate {
  private readonly perIp: FixedWindowCounter;
  private readonly perUsernameAndIp: FixedWindowCounter;
  private readonly failuresPerUsername: FixedWindowCounter;
  /** Every attempt per username and address, by the hour: what the failure limit lets through. */
  private readonly hourlyPerUsernameAndIp = new FixedWindowCounter(ATTEMPTS_PER_ADDRESS_WHEN_LOCKED, HOUR_MS);
  private readonly known = new KnownAddresses(KNOWN_ADDRESS_MS);

  constructor(
    config: AppConfigService,
    private readonly metrics: MetricsService,
  ) {
    this.perIp = new FixedWindowCounter(config.get('LOGIN_LIMIT_PER_IP'), MINUTE_MS);
    this.perUsernameAndIp = new FixedWindowCounter(config.get('LOGIN_LIMIT_PER_USERNAME'), MINUTE_MS);
    this.failuresPerUsername = new FixedWindowCounter(config.get('LOGIN_FAILURES_PER_USERNAME'), HOUR_MS);
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    // One key per client (an IPv6 /64), however the proxy spelled its address.
    const ip = ipKey(request.ip ?? request.socket.remoteAddress ?? 'unknown');
    const body = request.body as { username?: unknown } | undefined;
    const username =
      typeof body?.username === 'string' ? body.username.toLowerCase().slice(0, 64) : undefined;

    const ipVerdict = this.perIp.hit(`ip:${ip}`);
    if (!ipVerdict.allowed) this.refuse(response, ipVerdict.retryAfterMs);
    if (username === undefined) return true;
    const pairVerdict = this.perUsernameAndIp.hit(`${username}|${ip}`);
    if (!pairVerdict.allowed) this.refuse(response, pairVerdict.retryAfterMs);
    const hourly = this.hourlyPerUsernameAndIp.hit(`${username}|${ip}`);
    const lockout = this.failuresPerUsername.isOver(username);
    if (lockout.over && !hourly.allowed && !this.known.has(username, ip)) {
      // Until this address's hour is over, or the username's window, whichever comes first.
      this.refuse(response, Math.min(lockout.retryAfterMs, hourly.retryAfterMs));
    }

    // The outcome is known only once the handler has answered.
    response.once('finish', () => {
      if (response.statusCode === 401) this.failuresPerUsername.hit(username);
      else if (response.statusCode < 300) this.known.remember(username, ip);
    });
    return true;
  }

  private refuse(response: Response, retryAfterMs: number): never {
    this.metrics.rateLimited.inc({ limit: 'sign-in' });
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    response.setHeader('Retry-After', String(seconds));
    throw new RateLimitedError(`too many sign-in attempts: try again in ${seconds} s`);
  }
}
