import { Module } from '@nestjs/common';
import { BusModule } from '../bus/bus.module.js';
import { INSTANCE_ID } from '../bus/instance-id.js';
import { REDIS, type RedisConnections } from '../redis/redis-connections.js';
import { RedisModule } from '../redis/redis.module.js';
import { AppConfigService } from '../config/app-config.service.js';
import { PresenceDirectory } from './presence-directory.js';
import { PresenceKeeper } from './presence-keeper.js';
import { PRESENCE_STORE } from './presence-store.js';
import { PresenceService } from './presence.service.js';
import { RedisPresenceStore } from './redis/redis-presence-store.js';

@Module({
  imports: [BusModule, RedisModule],
  providers: [
    PresenceService,
    PresenceDirectory,
    PresenceKeeper,
    {
      provide: PRESENCE_STORE,
      inject: [REDIS, INSTANCE_ID, AppConfigService],
      useFactory: (redis: RedisConnections | null, instanceId: string, config: AppConfigService) =>
        redis ? new RedisPresenceStore(redis, instanceId, config.get('PRESENCE_TTL_MS')) : null,
    },
  ],
  exports: [PresenceService, PresenceDirectory],
})
export class PresenceModule {}
