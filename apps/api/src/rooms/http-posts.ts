import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ChatMessage, PostMessageRequest, User } from '@chat/contracts';
import { ForbiddenError, IdempotencyConflictError } from '../common/errors/chat-errors.js';
import { ChatCore } from '../core/index.js';
import type { StoredApiKey } from '../storage/api-key-store.js';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from '../storage/idempotency-store.js';
import { MEMBERSHIP_STORE, type MembershipStore } from '../storage/membership-store.js';
import { MESSAGE_STORE, type MessageStore } from '../storage/message-store.js';

/** Bound to a key whose clientId a socket `send` used first: no request body ever matches it. */
const SENT_BY_ANOTHER_DOOR = 'sent-by-another-door';

export type HttpPostOutcome =
  { stored: true; message: ChatMessage; replayed: boolean } | { stored: false; replies: readonly string[] };

/**
 * `POST /api/rooms/:room/messages`: a message from a signed-in user, an API key's bot, or (with
 * the as-user scope) a member on whose behalf a service posts, through ChatCore like a socket's
 * `send`. The Idempotency-Key is the clientId; the body it was first used with is kept, so a
 * replay with another body is a 409 instead of the first message passing for its answer.
 */
@Injectable()
export class HttpPosts {
  constructor(
    private readonly core: ChatCore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Inject(MEMBERSHIP_STORE) private readonly members: MembershipStore,
    @Inject(MESSAGE_STORE) private readonly messages: MessageStore,
  ) {}

  async post(
    room: string,
    body: PostMessageRequest,
    caller: { user: User; apiKey?: StoredApiKey },
    idempotencyKey: string | undefined,
  ): Promise<HttpPostOutcome> {
    const user = await this.author(room, body.asUser, caller);
    if (idempotencyKey !== undefined) {
      const claim = await this.claim(user.id, idempotencyKey, fingerprint(room, body));
      if (claim === 'conflict') {
        throw new IdempotencyConflictError(
          `Idempotency-Key "${idempotencyKey}" was used before with another request (room, text, replyTo, threadId or asUser differ): use a new key for a new message`,
        );
      }
    }
    const outcome = await this.core.post({
      room,
      // On a member's behalf the text is theirs, never a command: `/kick` with the owner's role
      // would give a messages-only key moderation (redteam). `//` is the escape for a literal `/`.
      text: body.asUser === undefined ? body.text : body.text.replace(/^(\s*)\//, '$1//'),
      user,
      ...(idempotencyKey !== undefined && { clientId: idempotencyKey }),
      ...(body.replyTo !== undefined && { replyTo: body.replyTo }),
      ...(body.threadId !== undefined && { threadId: body.threadId }),
    });
    if (outcome.swallowed) return { stored: false, replies: outcome.replies };
    return { stored: true, message: outcome.message, replayed: outcome.duplicate };
  }

  /**
   * The key is the message's clientId, which a socket `send` may have used already (no body
   * was recorded for it then): such a key is bound for good to a fingerprint no body has, so
   * that the other message never passes for this request's answer (redteam: replay with other
   * content through another door).
   */
  private async claim(userId: string, key: string, print: string): Promise<'new' | 'same' | 'conflict'> {
    if (await this.messages.findByClientId(userId, key)) {
      const other = await this.idempotency.claim(userId, key, SENT_BY_ANOTHER_DOOR);
      if (other !== 'conflict') return 'conflict';
    }
    return this.idempotency.claim(userId, key, print);
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

function fingerprint(room: string, body: PostMessageRequest): string {
  const { text, replyTo = null, threadId = null, asUser = null } = body;
  return createHash('sha256')
    .update(JSON.stringify([room, text, replyTo, threadId, asUser]))
    .digest('hex');
}
