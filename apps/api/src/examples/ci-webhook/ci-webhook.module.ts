import { Module } from '@nestjs/common';
import { BotsModule } from '../../bots/bots.module.js';
import { ChatCoreModule } from '../../core/index.js';
import { CiSecretGuard } from './ci-secret.guard.js';
import { CiWebhookController } from './ci-webhook.controller.js';

/** Example incoming webhook: CI notifications posted into a room as the bot `ci-bot` (off without CI_WEBHOOK_SECRET). */
@Module({
  imports: [ChatCoreModule, BotsModule],
  controllers: [CiWebhookController],
  providers: [CiSecretGuard],
})
export class CiWebhookModule {}
