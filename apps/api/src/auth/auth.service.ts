import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  AuthResponse,
  ChangePasswordRequest,
  LoginRequest,
  RegisterRequest,
  User,
} from '@chat/contracts';
import { ConflictError, ForbiddenError, UnauthorizedError } from '../common/errors/chat-errors.js';
import { USER_STORE, type UserStore } from '../storage/user-store.js';
import { AppConfigService } from '../config/app-config.service.js';
import { ChatIdentity } from './chat-identity.js';
import { IdentityService } from './identity.service.js';
import { PasswordHasher } from './password-hasher.js';
import { checkNewPassword } from './password-policy.js';
import { TokenService } from './token.service.js';

/** Accounts: registration, login, guest sessions, sign-out and password change. */
@Injectable()
export class AuthService {
  constructor(
    @Inject(USER_STORE) private readonly users: UserStore,
    private readonly tokens: TokenService,
    private readonly identity: IdentityService,
    private readonly chatIdentity: ChatIdentity,
    private readonly config: AppConfigService,
    private readonly passwords: PasswordHasher,
  ) {}

  async register({ username, password }: RegisterRequest): Promise<AuthResponse> {
    this.assertLocalAccounts();
    checkNewPassword(password, username);
    const id = `user:${randomUUID()}`;
    const outcome = await this.users.create({
      id,
      username,
      passwordHash: await this.passwords.hash(password),
    });
    if (outcome === 'taken') {
      throw new ConflictError(`the username "${username}" is taken: choose another, or log in`);
    }
    return this.session({ id, name: username, guest: false }, 0);
  }

  async login({ username, password }: LoginRequest): Promise<AuthResponse> {
    this.assertLocalAccounts();
    const stored = await this.users.findByUsername(username);
    // One scrypt run whoever asks, before any answer: an unknown username, a host user's row
    // (`host:<sub>`, found by its id, no password) and any account without a hash are checked
    // against the dummy hash, so timing does not tell which usernames exist or what they are.
    const ok = await this.passwords.verify(password, stored?.passwordHash);
    // A bot has no password to check: say so whatever was typed (bot names are public anyway,
    // they sign every message the bot posts).
    if (stored?.bot) {
      throw new ForbiddenError(`"${stored.username}" is a bot account: bots cannot sign in`);
    }
    if (!stored || !ok) throw new UnauthorizedError('wrong username or password');
    return this.session({ id: stored.id, name: stored.username, guest: false }, stored.tokenVersion);
  }

  guest(name: string): AuthResponse {
    return this.session(this.identity.newGuest(name), 0);
  }

  /**
   * Signs the account out everywhere: every token issued so far stops working, and the
   * connections they opened are closed. A guest has nothing stored to revoke: its token simply
   * expires (TOKEN_TTL_SECONDS); the caller drops the cookie either way.
   */
  async logout(user: User): Promise<void> {
    if (user.guest) return;
    await this.chatIdentity.revokeUser(user.id);
  }

  /**
   * Changes the password of the signed-in account after checking the current one, and revokes
   * every earlier token (someone who knew the old password may hold one). Returns a new session.
   */
  async changePassword(
    user: User,
    { currentPassword, newPassword }: ChangePasswordRequest,
  ): Promise<AuthResponse> {
    const found = await this.users.findByUsername(user.name);
    const stored = found?.id === user.id ? found : null;
    // Checked whatever was found, as at login: the time taken tells nothing about the name.
    const ok = await this.passwords.verify(currentPassword, stored?.passwordHash);
    if (!stored || !ok) throw new UnauthorizedError('currentPassword: wrong password');
    checkNewPassword(newPassword, stored.username);
    const version = await this.users.revokeTokens(user.id, await this.passwords.hash(newPassword));
    if (version === null) throw new UnauthorizedError('this account no longer exists: sign in again');
    this.revoked(user.id, version);
    return this.session({ id: stored.id, name: stored.username, guest: false }, version);
  }

  private revoked(userId: string, version: number): void {
    this.chatIdentity.announce(userId, version);
  }

  /** AUTH_LOCAL_ACCOUNTS=false: users come from the host app's tokens only. */
  private assertLocalAccounts(): void {
    if (!this.config.get('AUTH_LOCAL_ACCOUNTS')) {
      throw new ForbiddenError('this chat has no accounts of its own: sign in through the app it is part of');
    }
  }

  private session(user: User, version: number): AuthResponse {
    return { token: this.tokens.issue(user, version), user };
  }
}
