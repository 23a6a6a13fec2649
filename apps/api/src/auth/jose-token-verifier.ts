import { createPublicKey, type KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { UnauthorizedError, UnavailableError } from '../common/errors/chat-errors.js';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, type AppConfig } from '../config/app-config.schema.js';
import { externalIdentity } from './external-claims.js';
import type { ExternalIdentity, ExternalTokenVerifier } from './external-token-verifier.js';
import { lifetimeExcess } from './token-lifetime.js';

/** Clock skew allowed between the host app that issued a token and the chat that checks it. */
const CLOCK_TOLERANCE_SECONDS = 60;

type Key = Uint8Array | KeyObject | JWTVerifyGetKey;

/**
 * Checks a host app's tokens with `jose`: signature (one key source, only its algorithms: a token
 * that says `none`, or HS256 "signed" with a public key, is refused), `iss`, `aud`, and `exp`,
 * which must be there (a token without one would never expire) and no further than
 * `maxLifetimeSeconds` after `iat`, nor after now (a leaked token that is good for a century is
 * as bad as one with no `exp`; 0: no cap).
 */
export class JoseTokenVerifier implements ExternalTokenVerifier {
  private readonly logger = new Logger('HostTokens');

  constructor(
    private readonly key: Key,
    private readonly algorithms: string[],
    private readonly issuer: string,
    private readonly audience: string,
    private readonly maxLifetimeSeconds = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  ) {}

  /** The verifier the AUTH_* variables describe, or null when none of them is set. */
  static fromConfig(config: AppConfig): JoseTokenVerifier | null {
    const { AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience } = config;
    const maxLifetime = config.AUTH_MAX_TOKEN_LIFETIME_SECONDS;
    if (!issuer || !audience) return null; // loadConfig requires both with a key source
    if (config.AUTH_SHARED_SECRET) {
      return new JoseTokenVerifier(
        new TextEncoder().encode(config.AUTH_SHARED_SECRET),
        ['HS256'],
        issuer,
        audience,
        maxLifetime,
      );
    }
    if (config.AUTH_PUBLIC_KEY) {
      const key = createPublicKey(config.AUTH_PUBLIC_KEY);
      return new JoseTokenVerifier(
        key,
        key.asymmetricKeyType === 'ec' ? ['ES256'] : ['RS256'],
        issuer,
        audience,
        maxLifetime,
      );
    }
    if (config.AUTH_JWKS_URL) {
      // Fetched on first use and cached; a token with an unknown `kid` (a rotated key) fetches the
      // set again, at most once per cooldown, so random kids cannot flood the identity provider.
      const jwks = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL), {
        cooldownDuration: config.AUTH_JWKS_COOLDOWN_MS,
      });
      return new JoseTokenVerifier(jwks, ['RS256', 'ES256'], issuer, audience, maxLifetime);
    }
    return null;
  }

  async verify(token: string): Promise<ExternalIdentity> {
    try {
      const { payload } = await jwtVerify(token, this.key as Uint8Array, {
        algorithms: this.algorithms,
        issuer: this.issuer,
        audience: this.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      // jose checks `iat` only with maxTokenAge. A token "issued" in the future would count as
      // issued after every sign-out until then (revocation compares `iat`): beyond the skew, refused.
      const now = Math.floor(Date.now() / 1000);
      if (typeof payload.iat === 'number' && payload.iat > now + CLOCK_TOLERANCE_SECONDS) {
        throw new UnauthorizedError('invalid token: iat is in the future (check the host clock)');
      }
      this.checkLifetime(payload.exp!, payload.iat, now);
      return externalIdentity(payload);
    } catch (error) {
      throw this.refusal(error);
    }
  }

  /** Refuses a token that outlives the cap, from its `iat` or from now (see {@link lifetimeExcess}). */
  private checkLifetime(exp: number, iat: number | undefined, now: number): void {
    const excess = lifetimeExcess(exp, iat, now, this.maxLifetimeSeconds, CLOCK_TOLERANCE_SECONDS);
    if (!excess) return;
    throw new UnauthorizedError(
      `invalid token: exp is ${excess.lifetime} s after ${excess.from}, more than the ${this.maxLifetimeSeconds} s this chat accepts (AUTH_MAX_TOKEN_LIFETIME_SECONDS): issue tokens that expire sooner`,
    );
  }

  private refusal(error: unknown): Error {
    if (error instanceof UnauthorizedError) return error;
    if (error instanceof errors.JWTExpired)
      return new UnauthorizedError('your session has expired: sign in again');
    if (error instanceof errors.JWTClaimValidationFailed) {
      return new UnauthorizedError(
        `invalid token: ${error.claim} ${error.reason === 'missing' ? 'is missing' : 'is not accepted here'}`,
      );
    }
    if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
      return new UnauthorizedError('invalid token: its algorithm is not accepted here');
    }
    if (error instanceof errors.JWKSNoMatchingKey)
      return new UnauthorizedError('invalid token: unknown signing key');
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return new UnauthorizedError('invalid token: bad signature');
    }
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
      return new UnauthorizedError('invalid token: sign in again');
    }
    // The key set could not be fetched (down, slow, not JSON): ours to fix, so the client retries.
    this.logger.warn(`cannot check host tokens: ${error instanceof Error ? error.message : String(error)}`);
    return new UnavailableError(
      "cannot check your sign-in right now (the host app's keys are unreachable): try again",
    );
  }
}
