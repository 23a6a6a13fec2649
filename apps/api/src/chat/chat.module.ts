import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { BUS, roomTopic, type Bus } from '../bus/bus.js';
import { BusModule } from '../bus/bus.module.js';
import { ChatCoreModule } from '../core/chat-core.module.js';
import { PresenceModule } from '../presence/presence.module.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { MESSAGE_STORE, type MessageStore } from '../storage/message-store.js';
import { StorageModule } from '../storage/storage.module.js';
import { ChangeRequests } from './change-requests.js';
import { ChatGateway } from './chat.gateway.js';
import { ChatService } from './chat.service.js';
import { PresenceFanout } from './presence-fanout.js';
import { storeRangeReader } from './read-range.js';
import { RoomRegistry } from './room-registry.js';
import { UnackedSends } from './unacked-sends.js';

@Module({
  imports: [AuthModule, ChatCoreModule, StorageModule, BusModule, PresenceModule, RoomsModule, QuotasModule],
  providers: [
    ChatGateway,
    ChatService,
    ChangeRequests,
    UnackedSends,
    PresenceFanout,
    {
      provide: RoomRegistry,
      inject: [MESSAGE_STORE, MetricsService, BUS],
      useFactory: (store: MessageStore, metrics: MetricsService, bus: Bus) =>
        new RoomRegistry({
          read: storeRangeReader(store),
          // This instance hears a room's events while it has a member there (join awaits it).
          opened: (room) => void bus.watch(roomTopic(room)),
          closed: (room) => bus.unwatch(roomTopic(room)),
          onFanOut: (message, recipients) => {
            metrics.messagesDelivered.inc(recipients);
            metrics.fanoutLatency.observe((Date.now() - Date.parse(message.time)) / 1000);
          },
        }),
    },
  ],
})
export class ChatModule {}
