import { describe, expect, it } from '@jest/globals';
import type { ChatMessage } from '@chat/contracts';
import { withLive } from './with-live.js';

const m = (seq: number, text = `m${seq}`): ChatMessage => ({
  id: `id${seq}`,
  room: 'r',
  seq,
  user: { id: 'u', name: 'ann', guest: false },
  text,
  time: '2026-11-24T10:00:00.000Z',
});

describe(withLive.name, () => {
  it("should show the live room's state of a message both hold", () => {
    expect(withLive([m(1), m(2)], [m(2, 'edited')], false).map((x) => x.text)).toEqual(['m1', 'edited']);
  });

  it('should add what arrived live only once the stretch reaches the newest', () => {
    const live = [m(9), m(10), m(11)];
    expect(withLive([m(8), m(9)], live, false).map((x) => x.seq)).toEqual([8, 9]);
    expect(withLive([m(8), m(9)], live, true).map((x) => x.seq)).toEqual([8, 9, 10, 11]);
  });
});
