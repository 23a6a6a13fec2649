import { Module } from '@nestjs/common';
import { BUS } from './bus.js';
import { LocalBus } from './local/local-bus.js';

@Module({
  providers: [{ provide: BUS, useFactory: () => new LocalBus() }],
  exports: [BUS],
})
export class BusModule {}
