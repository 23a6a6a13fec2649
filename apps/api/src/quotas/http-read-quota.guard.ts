import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthenticatedRequest } from '../auth/http-identity.guard.js';
import { Quotas } from './quotas.js';

/**
 * Counts an HTTP read against the user's and the IP's quota (READS_PER_MINUTE_*); over it,
 * 429 with Retry-After (set by the HTTP error filter). Use after HttpIdentityGuard.
 */
@Injectable()
export class HttpReadQuotaGuard implements CanActivate {
  constructor(private readonly quotas: Quotas) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const ip = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    await this.quotas.reads.take({ userId: request.user?.id ?? `ip:${ip}`, ip });
    return true;
  }
}
