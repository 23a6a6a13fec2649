import { AbuseMeter } from '../common/rate-limit/abuse-meter.js';
import { TokenBucket } from '../common/rate-limit/token-bucket.js';

export interface RateLimitSettings {
  /** Any frame; 0 turns the limit off. */
  frameRatePerSec: number;
  frameBurst: number;
  /** `send` (and simple-protocol messages); 0 turns the limit off. */
  sendRatePerSec: number;
  sendBurst: number;
  /** Refusals within 10 s after which the connection is closed with 1008; 0: never. */
  abuseStrikes: number;
}

/** How often a client whose frames are being dropped is told so. */
const NOTICE_INTERVAL_MS = 1000;

/** One connection's rate limits and its record of ignoring them. */
export class ConnectionRateLimits {
  readonly frames: TokenBucket;
  readonly sends: TokenBucket;
  private readonly abuse: AbuseMeter;
  private lastNoticeAt = -Infinity;

  constructor(readonly settings: RateLimitSettings) {
    this.frames = new TokenBucket(settings.frameRatePerSec, settings.frameBurst);
    this.sends = new TokenBucket(settings.sendRatePerSec, settings.sendBurst);
    this.abuse = new AbuseMeter(settings.abuseStrikes);
  }

  /** Records a refused frame; true when the connection has earned a 1008 close. */
  strike(): boolean {
    return this.abuse.strike();
  }

  /** Whether to answer a dropped frame: at most once a second, so a flood is not echoed back. */
  shouldNotify(now = Date.now()): boolean {
    if (now - this.lastNoticeAt < NOTICE_INTERVAL_MS) return false;
    this.lastNoticeAt = now;
    return true;
  }
}
