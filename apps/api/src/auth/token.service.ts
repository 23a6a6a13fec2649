import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { User } from '@chat/contracts';
import { UnauthorizedError } from '../common/errors/chat-errors.js';
import { AppConfigService } from '../config/app-config.service.js';

interface TokenClaims {
  sub: string;
  name: string;
  guest: boolean;
}

/** Only this algorithm is accepted: a token that says `alg: none` (or anything else) is refused. */
const ALGORITHM = 'HS256';

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

  issue(user: User): string {
    const claims: TokenClaims = { sub: user.id, name: user.name, guest: user.guest };
    return this.jwt.sign(claims, { algorithm: ALGORITHM, expiresIn: this.ttlSeconds });
  }

  /** The token's user, or an {@link UnauthorizedError} that says what is wrong with it. */
  verify(token: string): User {
    let claims: Partial<TokenClaims>;
    try {
      claims = this.jwt.verify<TokenClaims>(token, { algorithms: [ALGORITHM] });
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new UnauthorizedError(
        expired ? 'your session has expired: sign in again' : 'invalid token: sign in again',
      );
    }
    if (
      typeof claims.sub !== 'string' ||
      typeof claims.name !== 'string' ||
      typeof claims.guest !== 'boolean'
    ) {
      throw new UnauthorizedError('invalid token: sign in again');
    }
    return { id: claims.sub, name: claims.name, guest: claims.guest };
  }
}
