import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ChatCoreModule } from '../core/index.js';
import { UserConnectionsController } from './user-connections.controller.js';

/** What a service may do to a user's sessions (disconnect, for now). */
@Module({
  imports: [AuthModule, ChatCoreModule],
  controllers: [UserConnectionsController],
})
export class UsersModule {}
