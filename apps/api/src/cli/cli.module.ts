import { Module, type DynamicModule } from '@nestjs/common';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import { BotsModule } from '../bots/bots.module.js';
import type { AppConfig } from '../config/app-config.schema.js';
import { ConfigModule } from '../config/config.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';

/**
 * What the CLI needs and nothing more: the same configuration and storage code as the server
 * (so it opens the same SQLite file or PostgreSQL database, and migrates it the same way), the
 * key and webhook services. No HTTP, WebSocket, bus or Redis.
 */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), StorageModule, BotsModule],
      providers: [ApiKeysService, WebhooksService],
    };
  }
}
