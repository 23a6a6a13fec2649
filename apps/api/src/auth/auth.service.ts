import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthResponse, LoginRequest, RegisterRequest, User } from '@chat/contracts';
import { ConflictError, UnauthorizedError } from '../common/errors/chat-errors.js';
import { USER_STORE, type UserStore } from '../storage/user-store.js';
import { IdentityService } from './identity.service.js';
import { dummyHash, hashPassword, verifyPassword } from './password-hasher.js';
import { TokenService } from './token.service.js';

/** Accounts: registration, login and guest sessions. */
@Injectable()
export class AuthService {
  constructor(
    @Inject(USER_STORE) private readonly users: UserStore,
    private readonly tokens: TokenService,
    private readonly identity: IdentityService,
  ) {}

  async register({ username, password }: RegisterRequest): Promise<AuthResponse> {
    const id = `user:${randomUUID()}`;
    const outcome = await this.users.create({ id, username, passwordHash: await hashPassword(password) });
    if (outcome === 'taken') {
      throw new ConflictError(`the username "${username}" is taken: choose another, or log in`);
    }
    return this.session({ id, name: username, guest: false });
  }

  async login({ username, password }: LoginRequest): Promise<AuthResponse> {
    const stored = await this.users.findByUsername(username);
    // Unknown users cost a hash check too, so timing does not tell which usernames exist.
    const ok = await verifyPassword(password, stored?.passwordHash ?? (await dummyHash()));
    if (!stored || !ok) throw new UnauthorizedError('wrong username or password');
    return this.session({ id: stored.id, name: stored.username, guest: false });
  }

  guest(name: string): AuthResponse {
    return this.session(this.identity.newGuest(name));
  }

  private session(user: User): AuthResponse {
    return { token: this.tokens.issue(user), user };
  }
}
