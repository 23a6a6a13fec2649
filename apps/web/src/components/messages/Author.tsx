import type { User } from '@chat/contracts';
import { UserName } from '../UserName.js';
import { useConversation, useMessageTabIndex } from './ConversationContext.js';

/** A message's author; a registered person other than you is a button that starts a DM. */
export function Author({ user }: { user: User }) {
  const c = useConversation();
  const tabIndex = useMessageTabIndex();
  if (!c.messageUser || user.id === c.me.id || user.guest || user.bot) return <UserName user={user} />;
  const write = c.messageUser;
  return (
    <button
      type="button"
      className="message__author"
      tabIndex={tabIndex}
      title={`Message ${user.name} directly`}
      onClick={() => write(user)}
    >
      <UserName user={user} />
    </button>
  );
}
