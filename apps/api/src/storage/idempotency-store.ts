/**
 * Which request body each HTTP `Idempotency-Key` was first used with, per user: the message
 * store knows the clientId's message, not the request that asked for it (hooks may have
 * rewritten its text), so a replay with another body is told apart here.
 */
export interface IdempotencyStore {
  /**
   * Binds (user, key) to `fingerprint` if it is new: 'new' the first time, 'same' when bound to
   * this fingerprint already, 'conflict' when bound to another one.
   */
  claim(userId: string, key: string, fingerprint: string): Promise<'new' | 'same' | 'conflict'>;
}

export const IDEMPOTENCY_STORE = Symbol('IdempotencyStore');
