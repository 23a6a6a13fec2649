import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { User } from '@chat/contracts';
import { UnauthorizedError } from '../common/errors/chat-errors.js';
import { AppConfigService } from '../config/app-config.service.js';

interface TokenClaims {
  sub: string;
  name: string;
  guest: boolean;
  /** The account's token version when issued (see StoredUser.tokenVersion); absent means 0. */
  ver?: number;
  exp?: number;
}

/** What a valid token says. */
export interface VerifiedToken {
  user: User;
  /** Compared with the account's stored version: older means revoked. Always 0 for guests. */
  version: number;
}

/** Only this algorithm is accepted: a token that says `alg: none` (or anything else) is refused. */
const ALGORITHM = 'HS256';
const INVALID = 'invalid token: sign in again';
/** Clock skew allowed between the instance that issued a token and the one that checks it. */
const EXP_SKEW_SECONDS = 300;

/** Issues and checks the signed tokens that carry a user's identity. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfigService,
  ) {}

  get ttlSeconds(): number {
    return this.config.get('TOKEN_TTL_SECONDS');
  }

  issue(user: User, version = 0): string {
    const claims: TokenClaims = { sub: user.id, name: user.name, guest: user.guest, ver: version };
    return this.jwt.sign(claims, { algorithm: ALGORITHM, expiresIn: this.ttlSeconds });
  }

  /**
   * The token's claims, or an {@link UnauthorizedError} that says what is wrong with it. It does
   * not know about revocation: {@link IdentityService} checks the version against the store.
   */
  verify(token: string): VerifiedToken {
    let claims: Partial<TokenClaims>;
    try {
      claims = this.jwt.verify<TokenClaims>(token, { algorithms: [ALGORITHM] });
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new UnauthorizedError(expired ? 'your session has expired: sign in again' : INVALID);
    }
    if (
      typeof claims.sub !== 'string' ||
      typeof claims.name !== 'string' ||
      typeof claims.guest !== 'boolean' ||
      !(claims.ver === undefined || Number.isSafeInteger(claims.ver))
    ) {
      throw new UnauthorizedError(INVALID);
    }
    // jsonwebtoken checks `exp` only when present: a token without one would never expire (and
    // a leaked one could never be retired), so it is refused. Every token we issue has one.
    if (typeof claims.exp !== 'number') throw new UnauthorizedError(INVALID);
    // Nor one that expires later than any token we issue (exp 1e20: forever in effect). Our
    // tokens last TOKEN_TTL_SECONDS; lowering it retires the longer ones issued before.
    if (claims.exp > Date.now() / 1000 + this.ttlSeconds + EXP_SKEW_SECONDS) {
      throw new UnauthorizedError(INVALID);
    }
    return { user: { id: claims.sub, name: claims.name, guest: claims.guest }, version: claims.ver ?? 0 };
  }
}
