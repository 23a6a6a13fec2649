import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BusModule } from '../bus/bus.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { RedisHealthIndicator } from './redis.health.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), StorageModule, BusModule],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator, RedisHealthIndicator],
})
export class HealthModule {}
