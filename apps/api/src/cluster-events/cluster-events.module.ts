import { Module } from '@nestjs/common';
import { BusModule } from '../bus/bus.module.js';
import { ClusterEvents } from './cluster-events.js';

/** Import it to publish and receive your module's own events on every instance ({@link ClusterEvents}). */
@Module({
  imports: [BusModule],
  providers: [ClusterEvents],
  exports: [ClusterEvents],
})
export class ClusterEventsModule {}
