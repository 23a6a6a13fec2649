import { Injectable } from '@nestjs/common';
import type { MemberEvent, User } from '@chat/contracts';

/** A membership change as the room's log will carry it (a `member` event without its seq). */
export type MembershipChange = Omit<MemberEvent, 'seq'>;

/**
 * Where every membership change is written to the room's log as a `member` event. A no-op until
 * the room log's change append (issue 15) is merged: then `recorded` appends the event (with its
 * own seq) and the sequencer fans it out. Each change calls it once, after the store has it.
 */
@Injectable()
export class MembershipLog {
  recorded(change: MembershipChange): Promise<void> {
    void change;
    return Promise.resolve();
  }
}

/** For callers that name the user doing the change only when it is someone else. */
export function changeBy(user: User, by: User): Pick<MembershipChange, 'by'> {
  return by.id === user.id ? {} : { by };
}
