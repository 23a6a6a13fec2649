import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { ChatMessage, User } from '@chat/contracts';
import { BotAccounts } from '../../apps/api/src/bots/bot-accounts.js';
import { BUS, type Bus } from '../../apps/api/src/bus/bus.js';
import { MESSAGE_STORE, type MessageStore } from '../../apps/api/src/storage/message-store.js';

/** The app's own BotAccounts (BotsModule is part of the app). */
export function botAccounts(app: INestApplication): BotAccounts {
  return app.get(BotAccounts, { strict: false });
}

/**
 * Posts `text` into `room` as `user` (a bot) through the app's posting path, and resolves with
 * the stored message. The one place the bot suites post from: this branch has no module-facing
 * post yet, so it takes the steps a socket send ends in (durable append, then bus fan-out).
 * Switch it to `ChatCore.post({ room, text, user })` once the chat core lands.
 */
export async function postAsBot(
  app: INestApplication,
  user: User,
  room: string,
  text: string,
): Promise<ChatMessage> {
  const store = app.get<symbol, MessageStore>(MESSAGE_STORE, { strict: false });
  const bus = app.get<symbol, Bus>(BUS, { strict: false });
  const { message } = await store.append({ room, user, text, clientId: randomUUID() });
  bus.publish({ type: 'message', message });
  return message;
}
