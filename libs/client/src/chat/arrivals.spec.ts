import { describe, expect, it } from '@jest/globals';
import type { ChatMessage } from '@chat/contracts';
import { chatMessage } from '../testing/chat-fixtures.js';
import { ArrivalTracker } from './arrivals.js';

const message = (seq: number, room = 'general') => chatMessage(seq, { id: `${room}-${seq}`, room });
const seqs = (messages: ChatMessage[]) => messages.map((m) => m.seq);

describe(ArrivalTracker.name, () => {
  it('should treat a first join as history and later live messages as news, once each', () => {
    const sut = new ArrivalTracker();
    expect(sut.joined('general', [message(1), message(2)], 2)).toEqual([]);
    expect(sut.message(message(3))).toBe(true);
    expect(sut.message(message(3))).toBe(false);
    expect(sut.message(message(2))).toBe(false);
  });

  it('should report what a resume brings that was not known, and nothing twice', () => {
    const sut = new ArrivalTracker();
    sut.joined('general', [message(1)], 1);
    sut.message(message(2));
    expect(seqs(sut.joined('general', [message(2), message(3), message(4)], 4))).toEqual([3, 4]);
    expect(sut.message(message(4))).toBe(false);
  });

  it('should keep rooms apart and start over in a room that was left', () => {
    const sut = new ArrivalTracker();
    sut.joined('general', [message(5)], 5);
    sut.joined('ops', [], 0);
    expect(sut.message(message(1, 'ops'))).toBe(true);
    sut.forget('ops');
    expect(sut.joined('ops', [message(1, 'ops'), message(2, 'ops')], 2)).toEqual([]);
  });

  it('should not call a message news in a room it never saw joined', () => {
    expect(new ArrivalTracker().message(message(1, 'elsewhere'))).toBe(false);
  });
});
