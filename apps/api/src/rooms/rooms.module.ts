import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { PresenceModule } from '../presence/presence.module.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { RoomAccessGuard } from './room-access.guard.js';
import { RoomsController } from './rooms.controller.js';
import { RoomsService } from './rooms.service.js';

@Module({
  imports: [StorageModule, PresenceModule, AuthModule, QuotasModule],
  controllers: [RoomsController],
  providers: [RoomsService, RoomAccessGuard],
  exports: [RoomsService, RoomAccessGuard],
})
export class RoomsModule {}
