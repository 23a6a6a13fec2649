import { Module } from '@nestjs/common';
import { ChatCoreModule } from '../../core/index.js';
import { StorageModule } from '../../storage/storage.module.js';
import { KickCommand } from './kick.command.js';
import { WordFilterPolicy } from './word-filter.policy.js';

/**
 * Example moderation module: a word filter (a chat policy, off while WORD_FILTER_WORDS is empty)
 * and `/kick <username>` (a slash command on ChatCore.kick). Both are found by discovery: listing
 * them here is all the registration there is.
 */
@Module({
  imports: [ChatCoreModule, StorageModule],
  providers: [WordFilterPolicy, KickCommand],
})
export class WordFilterModule {}
