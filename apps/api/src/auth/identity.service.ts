import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { DEFAULT_DISPLAY_NAME, DisplayNameSchema, type User } from '@chat/contracts';
import { BadRequestError } from '../common/errors/chat-errors.js';
import { describeIssues } from '../common/pipes/zod-validation.pipe.js';

/** Works out who is on the other end of a WebSocket upgrade. */
@Injectable()
export class IdentityService {
  /** A guest named by `?name=` (default `Anonymous`); each connection is a new guest. */
  fromUpgrade(request: IncomingMessage): User {
    const name = new URL(request.url ?? '/', 'http://localhost').searchParams.get('name');
    return this.guest(name === null || name.trim() === '' ? DEFAULT_DISPLAY_NAME : name);
  }

  guest(name: string): User {
    const parsed = DisplayNameSchema.safeParse(name);
    if (!parsed.success) throw new BadRequestError(`?name=: ${describeIssues(parsed.error.issues)}`);
    return { id: `guest:${randomUUID()}`, name: parsed.data, guest: true };
  }
}
