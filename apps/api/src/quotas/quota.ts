import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from '../common/errors/chat-errors.js';
import { ipKey } from '../common/rate-limit/ip-key.js';

/** Who is asking: a quota counts per user and per client IP (guests can be many users). */
export interface QuotaSubject {
  userId: string;
  /** Absent for a post from a module (no connection): only the per-user counter applies. */
  ip?: string;
}

/** One limit above the connection (sends, room creations, pages read): a per-user and a per-IP counter. */
export class Quota {
  constructor(
    /** What is counted, for the refusal's message: "messages", "new rooms", ... */
    private readonly what: string,
    /** Null: no per-user limit. */
    private readonly perUser: RateLimiterAbstract | null,
    /** Null: no per-IP limit. */
    private readonly perIp: RateLimiterAbstract | null,
    /** Told about every refusal (metrics). */
    private readonly onRefused: () => void = () => undefined,
  ) {}

  /** Counts one event; throws `rate_limited` with the wait when either counter is spent. */
  async take({ userId, ip }: QuotaSubject): Promise<void> {
    // The user first: one account over its own quota must not use up its neighbours' address.
    const userWait = await consume(this.perUser, userId);
    if (userWait !== null) this.refuse(this.perUser, 'for your account', userWait);
    if (ip === undefined) return;
    const ipWait = await consume(this.perIp, ipKey(ip));
    if (ipWait !== null) this.refuse(this.perIp, 'from your network address', ipWait);
  }

  private refuse(limiter: RateLimiterAbstract | null, whose: string, retryAfterMs: number): never {
    this.onRefused();
    throw new RateLimitedError(
      `too many ${this.what} ${whose}: at most ${limiter?.points} per ${describeDuration(limiter?.duration ?? 0)}; ` +
        `retry in ${Math.ceil(retryAfterMs / 1000)} s`,
      retryAfterMs,
    );
  }
}

/** Null when allowed, else the milliseconds until the counter has room again. */
async function consume(limiter: RateLimiterAbstract | null, key: string): Promise<number | null> {
  if (!limiter) return null;
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    // A refusal comes as a RateLimiterRes; anything else is a failure of the limiter itself.
    if (rejection instanceof RateLimiterRes) return rejection.msBeforeNext;
    throw rejection;
  }
}

function describeDuration(seconds: number): string {
  if (seconds === 60) return 'minute';
  if (seconds === 3600) return 'hour';
  return `${seconds} s`;
}
