import type { ChatMessage } from '@chat/contracts';

/**
 * The action of a `/me` line, or null. The server stores `/me waves` as "* Alice waves" (plain
 * text, so simple clients show it too); this client draws it as an action with the name once.
 * Only the author's own name counts: "* Bob waves" written by Alice stays an ordinary message.
 */
export function actionOf(message: Pick<ChatMessage, 'text' | 'user' | 'deleted'>): string | null {
  if (message.deleted) return null;
  const prefix = `* ${message.user.name} `;
  if (!message.text.startsWith(prefix)) return null;
  const action = message.text.slice(prefix.length);
  return action.trim() === '' ? null : action;
}
