import { Inject, Injectable } from '@nestjs/common';
import type { MemberEvent, User } from '@chat/contracts';
import { BUS, type Bus } from '../../bus/bus.js';
import { MESSAGE_STORE, type MessageStore } from '../../storage/message-store.js';

/** A membership change as the room's log will carry it (a `member` event without its seq). */
export type MembershipChange = Omit<MemberEvent, 'seq'>;

/**
 * Writes every membership change to the room's log as a `member` event with its own seq, then
 * fans it out like any entry of the log (the sequencer puts it in order on every instance). Each
 * change calls it once, after the membership store has it, so a client that replays the log
 * never sees a change the store does not hold.
 */
@Injectable()
export class MembershipLog {
  constructor(
    @Inject(MESSAGE_STORE) private readonly store: MessageStore,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  async recorded(change: MembershipChange): Promise<MemberEvent> {
    const data = await this.store.appendMemberEvent(change);
    this.bus.publish({ type: 'change', change: { event: 'member', data } });
    return data;
  }
}

/** For callers that name the user doing the change only when it is someone else. */
export function changeBy(user: User, by: User): Pick<MembershipChange, 'by'> {
  return by.id === user.id ? {} : { by };
}
