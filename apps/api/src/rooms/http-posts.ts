import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ChatMessage, PostMessageRequest, User } from '@chat/contracts';
import { ForbiddenError } from '../common/errors/chat-errors.js';
import { ChatCore, type PostInput, type PostOutcome } from '../core/index.js';
import type { StoredApiKey } from '../storage/api-key-store.js';
import { MEMBERSHIP_STORE, type MembershipStore } from '../storage/membership-store.js';
import { IdempotencyKeys } from './idempotency-keys.js';

export type HttpPostOutcome =
  { stored: true; message: ChatMessage; replayed: boolean } | { stored: false; replies: readonly string[] };

/**
 * `POST /api/rooms/:room/messages`: a message from a signed-in user, an API key's bot, or (with
 * the as-user scope) a member on whose behalf a service posts, through ChatCore like a socket's
 * `send`. The Idempotency-Key is the clientId; the body that a request succeeded with is kept
 * (IdempotencyKeys), so a replay with another body is a 409 instead of the first message passing
 * for its answer, and a request that failed leaves the key to its corrected retry.
 */
@Injectable()
export class HttpPosts {
  constructor(
    private readonly core: ChatCore,
    private readonly keys: IdempotencyKeys,
    @Inject(MEMBERSHIP_STORE) private readonly members: MembershipStore,
  ) {}

  async post(
    room: string,
    body: PostMessageRequest,
    caller: { user: User; apiKey?: StoredApiKey },
    idempotencyKey: string | undefined,
  ): Promise<HttpPostOutcome> {
    const user = await this.author(room, body.asUser, caller);
    const input: PostInput = {
      room,
      // On a member's behalf the text is theirs, never a command: `/kick` with the owner's role
      // would give a messages-only key moderation (redteam). `//` is the escape for a literal `/`.
      text: body.asUser === undefined ? body.text : body.text.replace(/^(\s*)\//, '$1//'),
      user,
      ...(idempotencyKey !== undefined && { clientId: idempotencyKey }),
      ...(body.replyTo !== undefined && { replyTo: body.replyTo }),
      ...(body.threadId !== undefined && { threadId: body.threadId }),
    };
    if (idempotencyKey === undefined) return answer(await this.core.post(input));
    const claimed = await this.keys.claim(user.id, idempotencyKey, fingerprint(room, body));
    // A command took this body before: the same answer, without running it again.
    if (claimed.replies !== undefined) return { stored: false, replies: claimed.replies };
    let outcome: PostOutcome;
    try {
      outcome = await this.core.post(input);
    } catch (error) {
      await this.keys.failed(claimed, error);
      throw error;
    }
    await this.keys.answered(claimed, outcome);
    return answer(outcome);
  }

  private async author(
    room: string,
    asUser: string | undefined,
    { user, apiKey }: { user: User; apiKey?: StoredApiKey },
  ): Promise<User> {
    if (asUser === undefined) return user;
    if (!apiKey) throw new ForbiddenError('asUser is for API keys with the scope "messages:write:as-user"');
    if (!apiKey.scopes.includes('messages:write:as-user')) {
      throw new ForbiddenError(
        'this API key lacks the scope "messages:write:as-user": create a key with it to post as a user',
      );
    }
    // On behalf of a member only: the member record carries the name and flags the message shows.
    const member = await this.members.member(room, asUser);
    if (!member)
      throw new ForbiddenError(`user "${asUser}" is not a member of room "${room}": add them first`);
    return member.user;
  }
}

function answer(outcome: PostOutcome): HttpPostOutcome {
  if (outcome.swallowed) return { stored: false, replies: outcome.replies };
  return { stored: true, message: outcome.message, replayed: outcome.duplicate };
}

function fingerprint(room: string, body: PostMessageRequest): string {
  const { text, replyTo = null, threadId = null, asUser = null } = body;
  return createHash('sha256')
    .update(JSON.stringify([room, text, replyTo, threadId, asUser]))
    .digest('hex');
}
