import { Module } from '@nestjs/common';
import { BotsModule } from '../../bots/bots.module.js';
import { ChatCoreModule } from '../../core/index.js';
import { TimeBotListener } from './time-bot.listener.js';

/** Example bot: answers `!time` as the bot account `timebot` (created on first start). */
@Module({
  imports: [ChatCoreModule, BotsModule],
  providers: [TimeBotListener],
})
export class TimeBotModule {}
