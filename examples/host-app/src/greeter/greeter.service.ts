import { Injectable } from '@nestjs/common';
import { BotAccounts, ChatCore, type ChatMessage } from '@chat/api';

/** The host app's bot: posts into the chat through the core API, like any door of the chat. */
@Injectable()
export class GreeterService {
  constructor(
    private readonly core: ChatCore,
    private readonly bots: BotAccounts,
  ) {}

  /** Posts `text` to `room` as the bot "greeter"; the same `clientId` never posts twice. */
  async announce(room: string, text: string, clientId?: string): Promise<ChatMessage | undefined> {
    const outcome = await this.core.post({ room, text, user: await this.bots.ensure('greeter'), clientId });
    return outcome.swallowed ? undefined : outcome.message;
  }
}
