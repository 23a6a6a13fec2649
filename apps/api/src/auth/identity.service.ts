import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { decodeJwt } from 'jose';
import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_DISPLAY_NAME, DisplayNameSchema, type User } from '@chat/contracts';
import { BadRequestError, ForbiddenError, UnauthorizedError } from '../common/errors/chat-errors.js';
import { describeIssues } from '../common/pipes/zod-validation.pipe.js';
import { AppConfigService } from '../config/app-config.service.js';
import { USER_STORE, type UserStore } from '../storage/user-store.js';
import { ChatIdentity } from './chat-identity.js';
import { EXTERNAL_TOKEN_VERIFIER, type ExternalTokenVerifier } from './external-token-verifier.js';
import { tokenFromRequest } from './session-cookie.js';
import { TokenService, type VerifiedToken } from './token.service.js';

/**
 * Who is on the other end, and the token version that let them in (0 for guests); `tokenless`
 * for a guest that came without a token (no lasting membership).
 */
export type Session = VerifiedToken & {
  tokenless?: true;
  /** A host token's `roles` (docs/embedding.md); nothing reads them yet. */
  roles?: readonly string[];
};

/** Works out who is on the other end of a request or a WebSocket upgrade. */
@Injectable()
export class IdentityService {
  constructor(
    private readonly tokens: TokenService,
    private readonly config: AppConfigService,
    @Inject(USER_STORE) private readonly users: UserStore,
    @Inject(EXTERNAL_TOKEN_VERIFIER) private readonly external: ExternalTokenVerifier | null,
    private readonly chatIdentity: ChatIdentity,
  ) {}

  /**
   * The session of a WebSocket upgrade: from its token if it has one (a bad or revoked token is
   * an error, never a silent fallback to guest); otherwise a new guest named by `?name=`, when
   * guests are allowed. A promise only when an account's token must be checked against the store,
   * so guests cost no extra turn of the event loop.
   */
  fromUpgrade(request: IncomingMessage): Session | Promise<Session> {
    const token = tokenFromRequest(request, this.config.get('AUTH_COOKIE_NAME'));
    if (token !== undefined) return this.sessionOf(token);
    if (!this.config.get('ALLOW_GUESTS')) {
      throw new UnauthorizedError('this server does not allow guests: sign in first');
    }
    // The query alone: a whole URL parse per upgrade shows in a connection storm's profile.
    const url = request.url ?? '';
    const query = url.indexOf('?');
    const name = query < 0 ? null : new URLSearchParams(url.slice(query + 1)).get('name');
    return {
      user: this.newGuest(name === null || name.trim() === '' ? DEFAULT_DISPLAY_NAME : name),
      version: 0,
      tokenless: true,
    };
  }

  /** The session of an HTTP request's token, or undefined without one. */
  async fromToken(request: IncomingMessage): Promise<Session | undefined> {
    const token = tokenFromRequest(request, this.config.get('AUTH_COOKIE_NAME'));
    return token === undefined ? undefined : await this.sessionOf(token);
  }

  /**
   * The chat's own tokens never carry `iss`; any other token (one with `iss`, or not a JWT at all)
   * is the host app's, when it has a verifier. Both kinds are accepted in the same places.
   */
  private sessionOf(token: string): Session | Promise<Session> {
    if (this.external && !isChatToken(token)) {
      return this.external.verify(token).then((identity) => this.chatIdentity.sessionOf(identity));
    }
    return this.check(this.tokens.verify(token));
  }

  newGuest(name: string): User {
    if (!this.config.get('ALLOW_GUESTS')) throw new ForbiddenError('this server does not allow guests');
    const parsed = DisplayNameSchema.safeParse(name);
    if (!parsed.success) throw new BadRequestError(`name: ${describeIssues(parsed.error.issues)}`);
    return { id: `guest:${randomUUID()}`, name: parsed.data, guest: true };
  }

  /**
   * Guests are not stored, so their tokens are checked by signature and expiry alone. An
   * account's token is checked against the store on every use: sign-out and password change
   * bump the account's version, and that must take effect at once, on every instance.
   */
  private check(session: Session): Session | Promise<Session> {
    if (session.user.guest) {
      if (!this.config.get('ALLOW_GUESTS')) {
        throw new UnauthorizedError('this server does not allow guests: sign in with an account');
      }
      return session;
    }
    return this.users.tokenVersion(session.user.id).then((current) => {
      if (current === null) throw new UnauthorizedError('this account no longer exists: sign in again');
      if (session.version !== current) {
        throw new UnauthorizedError(
          'this session was signed out (sign-out or password change): sign in again',
        );
      }
      return session;
    });
  }
}

function isChatToken(token: string): boolean {
  try {
    return decodeJwt(token).iss === undefined;
  } catch {
    return false;
  }
}
