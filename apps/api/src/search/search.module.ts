import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ChatCoreModule } from '../core/chat-core.module.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { SearchController } from './search.controller.js';
import { SearchService } from './search.service.js';

/** GET /api/search: full-text search over the rooms a user may read. */
@Module({
  imports: [StorageModule, AuthModule, QuotasModule, ChatCoreModule],
  controllers: [SearchController],
  providers: [SearchService],
})
export class SearchModule {}
