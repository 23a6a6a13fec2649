import { Module } from '@nestjs/common';
import { BotsModule } from '../bots/bots.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { ApiKeyAdmission } from './api-key-guard.js';
import { ApiKeyRateLimit } from './api-key-rate-limit.js';
import { ApiKeysService } from './api-keys.service.js';

/** Service accounts' API keys (the CLI manages them; the HTTP identity guard admits them). */
@Module({
  imports: [StorageModule, BotsModule, RedisModule],
  providers: [ApiKeysService, ApiKeyRateLimit, ApiKeyAdmission],
  exports: [ApiKeysService, ApiKeyAdmission],
})
export class ApiKeysModule {}
