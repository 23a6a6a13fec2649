import type { ChatMessage } from '@chat/api';

/** What the chat answered: the stored message, and whether this request stored it (201) or an earlier one (200). */
export interface ServicePost {
  status: number;
  message: ChatMessage;
}

/** How often a post asks again while its key is held by an earlier request still in flight. */
const MAX_ATTEMPTS = 5;

/**
 * A backend service of the host app (a CI job, a billing worker...) posting into the chat over
 * its HTTP API with an API key (`npm run chat -- api-key create --scopes messages:write`): no
 * user, no password, no WebSocket. It needs nothing of the chat's code, only `fetch`.
 */
export class ChatServiceClient {
  constructor(
    private readonly chatUrl: string,
    private readonly apiKey: string,
  ) {}

  /**
   * Posts as the key's bot. `idempotencyKey` names the message: a retry after a timeout (same
   * key, same text) gets the stored message back instead of posting it twice. While the first
   * request is still being answered, the chat says 409 with `Retry-After`: wait, and ask again.
   */
  async post(room: string, text: string, idempotencyKey: string): Promise<ServicePost> {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${this.chatUrl}/api/rooms/${encodeURIComponent(room)}/messages`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.apiKey}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': idempotencyKey,
        },
        body: JSON.stringify({ text }),
      });
      const retryAfter = Number(response.headers.get('retry-after'));
      if (response.status === 409 && retryAfter > 0 && attempt < MAX_ATTEMPTS) {
        await response.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
        continue;
      }
      // 201 {message}, 200 {message} for a repeated key; anything else is {code, message: string}.
      // 202 {replies} when the text was a slash command (nothing stored): send `//` for a literal `/`.
      const body = (await response.json()) as { message?: ChatMessage | string; code?: string };
      if (typeof body.message !== 'object') {
        throw new Error(`the chat answered ${response.status} ${body.code ?? ''}: ${JSON.stringify(body)}`);
      }
      return { status: response.status, message: body.message };
    }
  }
}
