import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module.js';
import { BotAccounts } from './bot-accounts.js';

/** Import it to get {@link BotAccounts}: bot identities a module posts as. */
@Module({
  imports: [StorageModule],
  providers: [BotAccounts],
  exports: [BotAccounts],
})
export class BotsModule {}
