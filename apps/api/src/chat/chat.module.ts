import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { BusModule } from '../bus/bus.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { ChatGateway } from './chat.gateway.js';
import { ChatService } from './chat.service.js';
import { RoomRegistry } from './room-registry.js';

@Module({
  imports: [AuthModule, StorageModule, BusModule],
  providers: [ChatGateway, ChatService, RoomRegistry],
})
export class ChatModule {}
