import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module.js';
import { BUS, roomTopic, type Bus } from '../bus/bus.js';
import { BusModule } from '../bus/bus.module.js';
import { ChatCoreModule } from '../core/chat-core.module.js';
import { PresenceModule } from '../presence/presence.module.js';
import { PresenceService } from '../presence/presence.service.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { MESSAGE_STORE, type MessageStore } from '../storage/message-store.js';
import { StorageModule } from '../storage/storage.module.js';
import { ChangeRequests } from './change-requests.js';
import { ChatGateway } from './chat.gateway.js';
import { ChatConnections } from './chat-connections.js';
import { ChatService } from './chat.service.js';
import { ClusterDelivery } from './cluster-delivery.js';
import { GuestNames } from './guest-names.js';
import { HistoryPages } from './history-pages.js';
import { PresenceFanout } from './presence-fanout.js';
import { storeRangeReader } from './read-range.js';
import { RoomRegistry } from './room-registry.js';
import { SendRequests } from './send-requests.js';
import { UnackedSends } from './unacked-sends.js';
import { UserConnections } from './user-connections.js';
import { ChatWsAdapter } from '../ws/chat-ws-adapter.js';

/** The WebSocket gateway and its services (the transport side of the chat; ChatModule is the public whole). */
@Module({
  imports: [AuthModule, ChatCoreModule, StorageModule, BusModule, PresenceModule, RoomsModule, QuotasModule],
  providers: [
    ChatGateway,
    ClusterDelivery,
    ChatConnections,
    ChatService,
    SendRequests,
    ChangeRequests,
    HistoryPages,
    GuestNames,
    UserConnections,
    UnackedSends,
    PresenceFanout,
    {
      provide: RoomRegistry,
      inject: [MESSAGE_STORE, MetricsService, BUS, PresenceService],
      useFactory: (store: MessageStore, metrics: MetricsService, bus: Bus, presence: PresenceService) =>
        new RoomRegistry({
          read: storeRangeReader(store),
          // This instance hears a room's events while it has a member there (join awaits it).
          opened: (room) => void bus.watch(roomTopic(room)),
          closed: (room) => {
            bus.unwatch(roomTopic(room));
            // Its presence is not heard any more: the others' part would go stale.
            presence.unwatched(room);
          },
          onFanOut: (message, recipients) => {
            metrics.messagesDelivered.inc(recipients);
            metrics.fanoutLatency.observe((Date.now() - Date.parse(message.time)) / 1000);
          },
        }),
    },
  ],
})
export class ChatGatewayModule implements OnApplicationBootstrap {
  constructor(private readonly application: ApplicationConfig) {}

  /**
   * Served by any other adapter (one set with app.useWebSocketAdapter after attachChatTransport,
   * or Nest's default), the gateway would run without the chat's authentication and limits:
   * the start-up fails instead, before any client is accepted.
   */
  onApplicationBootstrap(): void {
    if (!(this.application.getIoAdapter() instanceof ChatWsAdapter)) {
      throw new Error(
        "The chat's WebSocket gateway is not served by the chat's adapter. Fix: call attachChatTransport(app) before app.listen (or app.init), and not app.useWebSocketAdapter after it: its adapter serves your own gateways too.",
      );
    }
  }
}
