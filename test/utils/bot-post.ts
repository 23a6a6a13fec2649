import type { INestApplication } from '@nestjs/common';
import type { ChatMessage, User } from '@chat/contracts';
import { BotAccounts } from '../../apps/api/src/bots/bot-accounts.js';
import { ChatCore } from '../../apps/api/src/core/index.js';

/** The app's own BotAccounts (BotsModule is part of the app). */
export function botAccounts(app: INestApplication): BotAccounts {
  return app.get(BotAccounts, { strict: false });
}

/**
 * Posts `text` into `room` as `user` (a bot) through the chat core, the door every module uses,
 * and resolves with the stored message.
 */
export async function postAsBot(
  app: INestApplication,
  user: User,
  room: string,
  text: string,
): Promise<ChatMessage> {
  const outcome = await app.get(ChatCore, { strict: false }).post({ room, text, user });
  if (outcome.swallowed) throw new Error(`the bot's message was swallowed: ${outcome.replies.join(' / ')}`);
  return outcome.message;
}
