import { describeMessageStoreContract } from '../testing/message-store.contract.js';
import { MemoryMessageStore } from './memory-message-store.js';

describeMessageStoreContract(MemoryMessageStore.name, async () => new MemoryMessageStore());
