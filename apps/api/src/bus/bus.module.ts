import { Module } from '@nestjs/common';
import { BUS } from './bus.js';
import { INSTANCE_ID, newInstanceId } from './instance-id.js';
import { LocalBus } from './local/local-bus.js';

@Module({
  providers: [
    { provide: BUS, useFactory: () => new LocalBus() },
    { provide: INSTANCE_ID, useFactory: newInstanceId },
  ],
  exports: [BUS, INSTANCE_ID],
})
export class BusModule {}
