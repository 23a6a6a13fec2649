import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { ChatModule } from './chat-module/chat.module.js';
import { LoggingModule } from './logging/logging.module.js';
import type { AppConfig } from './config/app-config.schema.js';
import { CiWebhookModule } from './examples/ci-webhook/ci-webhook.module.js';
import { DiceModule } from './examples/dice/dice.module.js';
import { TimeBotModule } from './examples/time-bot/time-bot.module.js';
import { WordFilterModule } from './examples/word-filter/word-filter.module.js';
import { WebModule } from './web/web.module.js';

/**
 * The chat's own app: the public ChatModule (as any host app imports it), plus what only the
 * stand-alone server has: pino logs, the SPA and the example modules.
 */
@Module({})
export class AppModule {
  /** `extra`: more feature modules (an embedder's, or a test's), imported after the product's own. */
  static forRoot(config: AppConfig, extra: NonNullable<ModuleMetadata['imports']> = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggingModule.forRoot(config),
        ChatModule.forRoot({
          config,
          features: [
            // The example modules (apps/api/src/examples/, docs/extending.md): one line each.
            WordFilterModule.forRoot(config),
            TimeBotModule,
            CiWebhookModule,
            DiceModule,
            ...extra,
          ],
        }),
        WebModule.forRoot(config.WEB_DIST_DIR, config.WEB_APP_URL),
      ],
    };
  }
}
