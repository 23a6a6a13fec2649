import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BusModule } from '../bus/bus.module.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { ROOM_PERMISSIONS } from './access/room-permissions.js';
import { AttachmentClaims } from './attachments/attachment-claims.js';
import { ChatCore } from './chat-core.js';
import { MessageChanges } from './changes/message-changes.js';
import { PostingHooks } from './hooks/posting-hooks.js';
import { ChatPolicies } from './policies/chat-policies.js';
import { MembersLookup } from './membership/members-lookup.js';
import { MembershipLog } from './membership/membership-log.js';
import { MembershipPermissions } from './membership/membership-permissions.js';
import { MentionResolver } from './membership/mention-resolver.js';
import { RoomMembership } from './membership/room-membership.js';
import { RoomModeration } from './membership/room-moderation.js';
import { UserChannel } from './membership/user-channel.js';

/**
 * The chat's API (ChatCore) and its extension points (policies, posting hooks). Import it from
 * any module that posts, kicks or disconnects; the WebSocket transport is one such client.
 */
@Module({
  imports: [DiscoveryModule, StorageModule, BusModule, QuotasModule],
  providers: [
    ChatCore,
    AttachmentClaims,
    MessageChanges,
    ChatPolicies,
    PostingHooks,
    // Membership (issue 14): rooms that belong to people, and the permissions that follow from it.
    MembershipPermissions,
    { provide: ROOM_PERMISSIONS, useExisting: MembershipPermissions },
    MembersLookup,
    MembershipLog,
    MentionResolver,
    RoomMembership,
    RoomModeration,
    UserChannel,
  ],
  exports: [ChatCore, ChatPolicies, ROOM_PERMISSIONS, MembershipPermissions, RoomMembership, RoomModeration],
})
export class ChatCoreModule {}
