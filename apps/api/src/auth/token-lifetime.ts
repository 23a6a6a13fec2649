/** How far a token's `exp` lies beyond the lifetime cap, and from which instant it was measured. */
export interface LifetimeExcess {
  /** Seconds from `from` to `exp`. */
  lifetime: number;
  from: 'iat' | 'now';
}

/**
 * Whether a token outlives `capSeconds` (0: no cap), measured two ways, either of which refuses:
 *  - from its `iat`, so a token is accepted or refused the same way all its life (a 30-day token
 *    is refused on its last day too: the issuer's setting is wrong, not the moment);
 *  - from now (with `skewSeconds` of clock skew), because `iat` is the issuer's word: one missing,
 *    or set later than the truth, would otherwise make any `exp` look short. This one does not
 *    lean on the separate refusal of an `iat` in the future.
 */
export function lifetimeExcess(
  exp: number,
  iat: number | undefined,
  now: number,
  capSeconds: number,
  skewSeconds: number,
): LifetimeExcess | null {
  if (capSeconds === 0) return null;
  if (iat !== undefined && exp - iat > capSeconds) return { lifetime: exp - iat, from: 'iat' };
  if (exp - now > capSeconds + skewSeconds) return { lifetime: exp - now, from: 'now' };
  return null;
}
