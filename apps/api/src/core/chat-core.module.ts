import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BusModule } from '../bus/bus.module.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { OpenRoomPermissions, ROOM_PERMISSIONS } from './access/room-permissions.js';
import { ChatCore } from './chat-core.js';
import { MessageChanges } from './changes/message-changes.js';
import { PostingHooks } from './hooks/posting-hooks.js';
import { ChatPolicies } from './policies/chat-policies.js';

/**
 * The chat's API (ChatCore) and its extension points (policies, posting hooks). Import it from
 * any module that posts, kicks or disconnects; the WebSocket transport is one such client.
 */
@Module({
  imports: [DiscoveryModule, StorageModule, BusModule, QuotasModule],
  // ROOM_PERMISSIONS: the membership feature replaces the open default (see access/room-permissions.ts).
  providers: [
    ChatCore,
    MessageChanges,
    ChatPolicies,
    PostingHooks,
    { provide: ROOM_PERMISSIONS, useClass: OpenRoomPermissions },
  ],
  exports: [ChatCore, ChatPolicies, ROOM_PERMISSIONS],
})
export class ChatCoreModule {}
