import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service.js';
import { REDIS, type RedisConnections } from '../redis/redis-connections.js';
import { RedisModule } from '../redis/redis.module.js';
import { BUS, GIVEN_BUS, type Bus } from './bus.js';
import { INSTANCE_ID, newInstanceId } from './instance-id.js';
import { LocalBus } from './local/local-bus.js';
import { RedisBus } from './redis/redis-bus.js';

function redisBus(
  redis: RedisConnections,
  instanceId: string,
  metrics: MetricsService | undefined,
): RedisBus {
  if (!metrics) return new RedisBus(redis, instanceId);
  const bus = new RedisBus(redis, instanceId, {
    received: (channel, event) => {
      metrics.busEventsReceived.inc({ channel });
      if (event.type === 'presence') metrics.busPresenceReceived.inc({ channel });
    },
  });
  metrics.busTopicsSource = (kind) => bus.watched(kind);
  return bus;
}

/**
 * Chooses the bus: the embedder's when given, else from the configuration: Redis pub/sub with
 * REDIS_URL, in-process otherwise.
 */
@Module({
  imports: [RedisModule],
  providers: [
    { provide: INSTANCE_ID, useFactory: newInstanceId },
    {
      provide: BUS,
      // Optional: a module test may build the bus without the metrics.
      inject: [
        REDIS,
        INSTANCE_ID,
        { token: GIVEN_BUS, optional: true },
        { token: MetricsService, optional: true },
      ],
      useFactory: (
        redis: RedisConnections | null,
        instanceId: string,
        given: Bus | undefined,
        metrics: MetricsService | undefined,
      ): Bus => given ?? (redis ? redisBus(redis, instanceId, metrics) : new LocalBus()),
    },
  ],
  exports: [BUS, INSTANCE_ID],
})
export class BusModule implements OnApplicationShutdown {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  /** Runs after the modules that use the bus have said goodbye through it (RedisModule closes after). */
  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
