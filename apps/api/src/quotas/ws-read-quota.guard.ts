import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { ClientConnection } from '../ws/client-connection.js';
import { Quotas } from './quotas.js';

/**
 * Counts a `history` or `join` frame (every join, also of a room the connection is already in)
 * against the user's and the IP's read quota (READS_PER_MINUTE_*): a page read over WebSocket
 * costs the store what one over HTTP does, and a join sends a page and the presence list. Over
 * it, `rate_limited` with `retryAfterMs`; the connection and its other rooms stay.
 */
@Injectable()
export class WsReadQuotaGuard implements CanActivate {
  constructor(private readonly quotas: Quotas) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const connection = context.switchToWs().getClient<ClientConnection>();
    await this.quotas.reads.take({ userId: connection.user.id, ip: connection.remoteAddress });
    return true;
  }
}
