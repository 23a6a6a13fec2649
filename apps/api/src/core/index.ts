// The core's public API, for feature modules: import from here rather than from its files.
export { ChatCore, type Accepted } from './chat-core.js';
export { ChatCoreModule } from './chat-core.module.js';
export type { PostInput, PostOutcome, PostResult, PostSender, PostSwallowed } from './post-outcome.js';
export { allow, deny, type ChatAction, type ChatPolicy, type PolicyVerdict } from './policies/chat-policy.js';
export { ChatPolicyProvider } from './policies/chat-policy.decorator.js';
export { POLICY_FAILED_MESSAGE } from './policies/chat-policies.js';
export { OnMessagePosting } from './hooks/on-message-posting.decorator.js';
export { HOOK_FAILED_MESSAGE } from './hooks/posting-hooks.js';
export { MessagePostingEvent } from './events/message-posting.event.js';
export { MessageStoredEvent } from './events/message-stored.event.js';
export type {
  AcceptedChange,
  ChangeApplied,
  ChangeInput,
  ChangeOutcome,
  ChangeSender,
  ChangeSwallowed,
} from './changes/change-input.js';
export {
  MessageDeletedEvent,
  MessageEditedEvent,
  ReactionChangedEvent,
} from './events/message-changed.events.js';
export { RoomMembership } from './membership/room-membership.js';
export { RoomModeration } from './membership/room-moderation.js';
export { MembershipPermissions } from './membership/membership-permissions.js';
export { dmRoomName } from './membership/dm-room-name.js';
