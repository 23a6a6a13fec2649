import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsPortServer } from './metrics-port.server.js';
import { MetricsService } from './metrics.service.js';

/** Global: any module may count what it does. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, MetricsPortServer],
  exports: [MetricsService],
})
export class MetricsModule {}
