import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthenticatedRequest } from '../auth/http-identity.guard.js';
import { Quotas } from './quotas.js';

/**
 * Counts a search against the user's and the IP's quota (SEARCHES_PER_MINUTE_*); over it, 429
 * with Retry-After. Use after HttpIdentityGuard (and HttpReadQuotaGuard: a search is a read too).
 */
@Injectable()
export class HttpSearchQuotaGuard implements CanActivate {
  constructor(private readonly quotas: Quotas) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const ip = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    await this.quotas.searches.take({ userId: request.user?.id ?? `ip:${ip}`, ip });
    return true;
  }
}
