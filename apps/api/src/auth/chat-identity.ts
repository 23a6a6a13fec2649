import { Inject, Injectable } from '@nestjs/common';
import type { User } from '@chat/contracts';
import { BUS, type Bus } from '../bus/bus.js';
import { UnauthorizedError } from '../common/errors/chat-errors.js';
import { AppConfigService } from '../config/app-config.service.js';
import { USER_STORE, type UserStore } from '../storage/user-store.js';
import type { ExternalIdentity } from './external-token-verifier.js';
import type { Session } from './identity.service.js';

/**
 * A host user's id is its `sub` behind this prefix: the chat's own ids are `user:`, `guest:` and
 * `bot:` followed by a UUID, so a host's `sub` can never name one of them.
 */
export const HOST_USER_PREFIX = 'host:';
/** A host's guest (`guest: true`): never stored, like the chat's own guests. */
export const HOST_GUEST_PREFIX = 'host-guest:';

export function isHostUserId(id: string): boolean {
  return id.startsWith(HOST_USER_PREFIX);
}

const SIGNED_OUT = 'this session was signed out (sign-out or password change): sign in again';

/**
 * The chat's users as a host app sees them: the session of a host-issued token, and revocation
 * (`revokeUser`) for the chat's accounts and host users alike. Exported from `@chat/api`.
 */
@Injectable()
export class ChatIdentity {
  constructor(
    @Inject(USER_STORE) private readonly users: UserStore,
    @Inject(BUS) private readonly bus: Bus,
    private readonly config: AppConfigService,
  ) {}

  /**
   * The session of a verified host token: its user's row is created or renamed in the chat's
   * stores (membership needs one), and a token issued before the user's revocation is refused.
   */
  async sessionOf(identity: ExternalIdentity): Promise<Session> {
    if (identity.guest) {
      if (!this.config.get('ALLOW_GUESTS')) {
        throw new UnauthorizedError('this server does not allow guests: sign in with an account');
      }
      const user: User = { id: `${HOST_GUEST_PREFIX}${identity.subject}`, name: identity.name, guest: true };
      return { user, version: 0, roles: identity.roles };
    }
    const user: User = {
      id: `${HOST_USER_PREFIX}${identity.subject}`,
      name: identity.name,
      guest: false,
      ...(identity.bot && { bot: true as const }),
    };
    const revokedBefore = await this.users.ensureExternal({
      id: user.id,
      username: user.name,
      bot: identity.bot,
    });
    if (identity.issuedAt < revokedBefore) throw new UnauthorizedError(SIGNED_OUT);
    // Its version is its `iat`: a revocation closes the connections opened with older tokens.
    return { user, version: identity.issuedAt, roles: identity.roles };
  }

  /**
   * Signs a user out everywhere: every token issued so far stops working (at once, on every
   * instance) and the connections they opened are closed with 4401. A chat account's token
   * version is bumped; a host user's tokens issued before the next second are refused (its
   * next sign-in needs a token issued after that). Unknown users and guests: nothing to do.
   */
  async revokeUser(userId: string): Promise<void> {
    const version = isHostUserId(userId)
      ? await this.users.revokeExternal(userId, Math.floor(Date.now() / 1000) + 1)
      : await this.users.revokeTokens(userId);
    if (version !== null) this.announce(userId, version);
  }

  /** Every instance closes the user's connections opened with a version older than `version`. */
  announce(userId: string, version: number): void {
    this.bus.publish({ type: 'tokens-revoked', userId, version });
  }
}
