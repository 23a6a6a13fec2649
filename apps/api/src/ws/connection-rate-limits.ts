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

/**
 * One connection's rate limits and its record of ignoring them. Each piece of state is made on
 * first use: a limit that is off, or a client that never strikes, costs an idle connection nothing.
 */
export class ConnectionRateLimits {
  private frames: TokenBucket | undefined;
  private sends: TokenBucket | undefined;
  private abuse: AbuseMeter | undefined;
  private lastNoticeAt = 0;

  constructor(readonly settings: RateLimitSettings) {}

  /** Takes a token for any frame; false when the frame is over the limit. */
  takeFrame(): boolean {
    const { frameRatePerSec, frameBurst } = this.settings;
    if (frameRatePerSec <= 0) return true;
    return (this.frames ??= new TokenBucket(frameRatePerSec, frameBurst)).take();
  }

  /** Takes a token for a message; false when it is over the limit. */
  takeSend(): boolean {
    const { sendRatePerSec, sendBurst } = this.settings;
    if (sendRatePerSec <= 0) return true;
    return (this.sends ??= new TokenBucket(sendRatePerSec, sendBurst)).take();
  }

  /** Records a refused frame; true when the connection has earned a 1008 close. */
  strike(): boolean {
    return (this.abuse ??= new AbuseMeter(this.settings.abuseStrikes)).strike();
  }

  /** Whether to answer a dropped frame: at most once a second, so a flood is not echoed back. */
  shouldNotify(now = Date.now()): boolean {
    if (now - this.lastNoticeAt < NOTICE_INTERVAL_MS) return false;
    this.lastNoticeAt = now;
    return true;
  }
}
