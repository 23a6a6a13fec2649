import { Module } from '@nestjs/common';
import { BotsModule, ChatCoreModule } from '@chat/api';
import { GreeterController } from './greeter.controller.js';
import { GreeterService } from './greeter.service.js';

/** A feature module of the host app, given to the chat as one of its `features`. */
@Module({
  imports: [ChatCoreModule, BotsModule],
  controllers: [GreeterController],
  providers: [GreeterService],
})
export class GreeterModule {}
