import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ChatCoreModule } from '../core/chat-core.module.js';
import { PresenceModule } from '../presence/presence.module.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { RoomAccessGuard } from './room-access.guard.js';
import { MyRoomsController } from './my-rooms.controller.js';
import { HttpPosts } from './http-posts.js';
import { IdempotencyKeys } from './idempotency-keys.js';
import { RoomMembersController } from './room-members.controller.js';
import { RoomMessagesController } from './room-messages.controller.js';
import { RoomsController } from './rooms.controller.js';
import { RoomsService } from './rooms.service.js';

@Module({
  imports: [StorageModule, PresenceModule, AuthModule, QuotasModule, ChatCoreModule],
  controllers: [RoomsController, RoomMembersController, MyRoomsController, RoomMessagesController],
  providers: [RoomsService, RoomAccessGuard, HttpPosts, IdempotencyKeys],
  exports: [RoomsService, RoomAccessGuard],
})
export class RoomsModule {}
