import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.schema.js';
import { ChatCoreModule } from '../../core/index.js';
import { StorageModule } from '../../storage/storage.module.js';
import { KickCommand } from './kick.command.js';
import { WordFilterPolicy } from './word-filter.policy.js';

/**
 * Example moderation module: a word filter (a chat policy) and `/kick <username>` (a slash
 * command on ChatCore.kick). Both are found by discovery: listing them is all the registration
 * there is. With WORD_FILTER_WORDS empty the policy is not even listed, so the chat skips asking
 * policies altogether (they are on the path of every join and send).
 */
@Module({})
export class WordFilterModule {
  static forRoot(config: Pick<AppConfig, 'WORD_FILTER_WORDS'>): DynamicModule {
    return {
      module: WordFilterModule,
      imports: [ChatCoreModule, StorageModule],
      providers: [KickCommand, ...(config.WORD_FILTER_WORDS.length > 0 ? [WordFilterPolicy] : [])],
    };
  }
}
