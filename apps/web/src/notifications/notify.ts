import type { ChatMessage } from '@chat/contracts';
import { displayText, isolatedText } from '../lib/text/bidi.js';

/** Longer texts are cut: a notification is a nudge, the app has the full message. */
const MAX_BODY = 160;

/** A desktop notification is for news from someone else while the user is looking elsewhere. */
export function shouldNotify(message: ChatMessage, myId: string, pageHidden: boolean): boolean {
  return pageHidden && message.user.id !== myId;
}

/** Guests and bots are marked in the title as they are in the app. */
function markOf({ user }: ChatMessage): string {
  if (user.bot) return ' (bot)';
  return user.guest ? ' (guest)' : '';
}

/**
 * Title and options of the notification for a message; one per room (`tag`), the latest wins.
 * Plain text shown by the system, so bidi controls are removed here and the name is isolated.
 */
export function notificationFor(message: ChatMessage): { title: string; options: NotificationOptions } {
  const text = displayText(message.text);
  const chars = [...text];
  return {
    title: `${isolatedText(message.user.name)}${markOf(message)} in #${message.room}`,
    options: {
      body: chars.length > MAX_BODY ? `${chars.slice(0, MAX_BODY).join('')}…` : text,
      tag: `chat-room-${message.room}`,
    },
  };
}
