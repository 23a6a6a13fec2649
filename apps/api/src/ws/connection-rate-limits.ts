import { TokenBucket } from '../common/rate-limit/token-bucket.js';

export interface RateLimitSettings {
  /** Any frame, WebSocket pings included; 0 turns the limit off. */
  frameRatePerSec: number;
  frameBurst: number;
  /** `send` (and simple-protocol messages); 0 turns the limit off. */
  sendRatePerSec: number;
  sendBurst: number;
}

/**
 * One connection's rate limits. They say how long to wait, never "no": a frame over a rate is
 * handled later, and meanwhile the connection is not read (see ChatWsAdapter). Each bucket is
 * made on first use: a limit that is off costs an idle connection nothing.
 */
export class ConnectionRateLimits {
  private frames: TokenBucket | undefined;
  private sends: TokenBucket | undefined;

  constructor(readonly settings: RateLimitSettings) {}

  /** Takes a token for any frame: 0, or the milliseconds to wait before asking again. */
  frameWait(): number {
    const { frameRatePerSec, frameBurst } = this.settings;
    if (frameRatePerSec <= 0) return 0;
    return (this.frames ??= new TokenBucket(frameRatePerSec, frameBurst)).takeOrWait();
  }

  /** Takes a token for a message: 0, or the milliseconds to wait before asking again. */
  sendWait(): number {
    const { sendRatePerSec, sendBurst } = this.settings;
    if (sendRatePerSec <= 0) return 0;
    return (this.sends ??= new TokenBucket(sendRatePerSec, sendBurst)).takeOrWait();
  }
}
