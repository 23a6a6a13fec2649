import { Module } from '@nestjs/common';
import { MemoryMessageStore } from './memory/memory-message-store.js';
import { MESSAGE_STORE } from './message-store.js';

@Module({
  providers: [{ provide: MESSAGE_STORE, useFactory: () => new MemoryMessageStore() }],
  exports: [MESSAGE_STORE],
})
export class StorageModule {}
