import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AttachmentsModule } from './attachments/attachments.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BotsModule } from './bots/bots.module.js';
import { ChatModule } from './chat/chat.module.js';
import { SlashCommandsModule } from './commands/slash-commands.module.js';
import { HttpErrorFilter } from './common/filters/http-error.filter.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import type { AppConfig } from './config/app-config.schema.js';
import { ConfigModule } from './config/config.module.js';
import { CiWebhookModule } from './examples/ci-webhook/ci-webhook.module.js';
import { DiceModule } from './examples/dice/dice.module.js';
import { TimeBotModule } from './examples/time-bot/time-bot.module.js';
import { WordFilterModule } from './examples/word-filter/word-filter.module.js';
import { RoomsModule } from './rooms/rooms.module.js';
import { UsersModule } from './users/users.module.js';
import { SearchModule } from './search/search.module.js';
import { WebModule } from './web/web.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({})
export class AppModule {
  /** `extra`: more feature modules (an embedder's, or a test's), imported after the product's own. */
  static forRoot(config: AppConfig, extra: NonNullable<ModuleMetadata['imports']> = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        EventEmitterModule.forRoot(),
        MetricsModule,
        AuthModule,
        BotsModule,
        RoomsModule,
        UsersModule,
        WebhooksModule,
        SearchModule,
        ChatModule,
        AttachmentsModule,
        HealthModule,
        SlashCommandsModule,
        WebModule.forRoot(config.WEB_DIST_DIR, config.WEB_APP_URL),
        // The example modules (apps/api/src/examples/, docs/extending.md): one line each.
        WordFilterModule.forRoot(config),
        TimeBotModule,
        CiWebhookModule,
        DiceModule,
        ...extra,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
