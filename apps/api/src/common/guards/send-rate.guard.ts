import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CloseCode } from '@chat/contracts';
import type { ChatConnection } from '../../ws/chat-connection.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { RateLimitedError } from '../errors/chat-errors.js';

/**
 * Limits messages per connection (SEND_RATE_PER_SEC, bursts of SEND_BURST). A refused send gets
 * `rate_limited` with its clientId, so the client can retry it; a client that keeps pushing is
 * closed with 1008.
 */
@Injectable()
export class SendRateGuard implements CanActivate {
  constructor(private readonly metrics: MetricsService) {}

  canActivate(context: ExecutionContext): boolean {
    const connection = context.switchToWs().getClient<ChatConnection>();
    const limits = connection.rateLimits;
    if (limits.takeSend()) return true;
    this.metrics.rateLimited.inc({ limit: 'send' });
    if (limits.strike()) connection.close(CloseCode.policyViolation, 'rate limit exceeded repeatedly');
    const { sendRatePerSec, sendBurst } = limits.settings;
    throw new RateLimitedError(
      `sending too fast: at most ${sendRatePerSec} messages per second (bursts of ${sendBurst}); retry in a moment`,
    );
  }
}
