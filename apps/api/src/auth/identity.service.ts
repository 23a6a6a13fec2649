import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { DEFAULT_DISPLAY_NAME, DisplayNameSchema, type User } from '@chat/contracts';
import { BadRequestError, ForbiddenError, UnauthorizedError } from '../common/errors/chat-errors.js';
import { describeIssues } from '../common/pipes/zod-validation.pipe.js';
import { AppConfigService } from '../config/app-config.service.js';
import { tokenFromRequest } from './session-cookie.js';
import { TokenService } from './token.service.js';

/** Works out who is on the other end of a request or a WebSocket upgrade. */
@Injectable()
export class IdentityService {
  constructor(
    private readonly tokens: TokenService,
    private readonly config: AppConfigService,
  ) {}

  /**
   * The user of a WebSocket upgrade: from its token if it has one (a bad token is an error, never
   * a silent fallback to guest); otherwise a new guest named by `?name=`, when guests are allowed.
   */
  fromUpgrade(request: IncomingMessage): User {
    const user = this.fromToken(request);
    if (user) return user;
    if (!this.config.get('ALLOW_GUESTS')) {
      throw new UnauthorizedError('this server does not allow guests: sign in first');
    }
    // The query alone: a whole URL parse per upgrade shows in a connection storm's profile.
    const url = request.url ?? '';
    const query = url.indexOf('?');
    const name = query < 0 ? null : new URLSearchParams(url.slice(query + 1)).get('name');
    return this.newGuest(name === null || name.trim() === '' ? DEFAULT_DISPLAY_NAME : name);
  }

  /** The user of an HTTP request's token, or undefined without one. */
  fromToken(request: IncomingMessage): User | undefined {
    const token = tokenFromRequest(request);
    if (token === undefined) return undefined;
    const user = this.tokens.verify(token);
    if (user.guest && !this.config.get('ALLOW_GUESTS')) {
      throw new UnauthorizedError('this server does not allow guests: sign in with an account');
    }
    return user;
  }

  newGuest(name: string): User {
    if (!this.config.get('ALLOW_GUESTS')) throw new ForbiddenError('this server does not allow guests');
    const parsed = DisplayNameSchema.safeParse(name);
    if (!parsed.success) throw new BadRequestError(`name: ${describeIssues(parsed.error.issues)}`);
    return { id: `guest:${randomUUID()}`, name: parsed.data, guest: true };
  }
}
