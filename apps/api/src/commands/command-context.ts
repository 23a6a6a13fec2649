import type { MessagePostingEvent } from '../core/events/message-posting.event.js';
import type { CommandContext } from './slash-command.js';

/** A command's view of the posting event, and whether the command decided to keep the message. */
export function commandContext(
  event: MessagePostingEvent,
  usage: string,
): { context: CommandContext; kept: () => boolean } {
  let kept = false;
  const context: CommandContext = {
    room: event.room,
    user: event.user,
    clientId: event.clientId,
    text: event.text,
    usage,
    reply: (text) => event.reply(text),
    keep: () => {
      kept = true;
    },
    rewrite: (text) => {
      kept = true;
      event.rewrite(text);
    },
    renameSender: (name) => event.renameSender(name),
  };
  return { context, kept: () => kept };
}
