import { Inject, Injectable } from '@nestjs/common';
import { BUS, type Bus, type UserChannelFrame } from '../../bus/bus.js';

/**
 * A user's own channel: a frame for every connection of that user, on every instance (the bus
 * carries it; ChatService delivers it). Which frames exist: {@link UserChannelFrame}.
 */
@Injectable()
export class UserChannel {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  /** `exceptConnection`: the connection that caused it (it knows already), by id. */
  tell(userId: string, frame: UserChannelFrame, exceptConnection?: string): void {
    this.bus.publish({
      type: 'user-channel',
      userId,
      frame,
      ...(exceptConnection !== undefined && { exceptConnection }),
    });
  }

  /** The user is out of `room`: every connection of theirs leaves it and hears `room.removed`. */
  removed(room: string, userId: string, removal: 'left' | 'kicked' | 'banned', reason?: string): void {
    this.bus.publish({ type: 'kick', room, userId, removal, ...(reason !== undefined && { reason }) });
  }
}
