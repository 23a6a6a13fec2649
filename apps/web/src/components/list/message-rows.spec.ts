import { describe, expect, it } from '@jest/globals';
import type { ChatMessage, User } from '@chat/contracts';
import { messageRows } from './message-rows.js';

const ann: User = { id: 'u-ann', name: 'ann', guest: false };
const bob: User = { id: 'u-bob', name: 'bob', guest: false };
let seq = 0;
const at = (time: string, user: User, text = 'hi'): ChatMessage => ({
  id: `m${++seq}`,
  room: 'general',
  seq,
  user,
  text,
  time,
});
const shape = (rows: ReturnType<typeof messageRows>) =>
  rows.map((row) => (row.kind === 'message' ? `${row.head ? 'H' : 'c'}:${row.message.user.name}` : row.kind));

describe(messageRows.name, () => {
  it('should group one author’s messages within five minutes under one header', () => {
    const messages = [
      at('2026-01-01T10:00:00Z', ann),
      at('2026-01-01T10:04:59Z', ann),
      at('2026-01-01T10:10:00Z', ann), // more than five minutes later
      at('2026-01-01T10:10:30Z', bob),
      at('2026-01-01T10:11:00Z', ann),
    ];
    expect(shape(messageRows({ messages, pending: [], me: ann }))).toEqual([
      'day',
      'H:ann',
      'c:ann',
      'H:ann',
      'H:bob',
      'H:ann',
    ]);
  });

  it('should start a group on a new day and for every /me line, and keep groups across the unread line', () => {
    const messages = [
      at('2026-01-01T10:00:00Z', ann),
      at('2026-01-01T10:01:00Z', ann, '* ann waves'),
      at('2026-01-01T10:02:00Z', ann),
      at('2026-01-01T10:03:00Z', ann),
    ];
    const rows = messageRows({ messages, pending: [], me: bob, firstUnread: messages[3]!.id });
    expect(shape(rows)).toEqual(['day', 'H:ann', 'H:ann', 'H:ann', 'unread', 'c:ann']);
    const late = [at('2026-01-01T23:59:00Z', ann), at('2026-01-02T12:00:01Z', ann)];
    expect(
      shape(messageRows({ messages: late, pending: [], me: bob })).filter((k) => k === 'day'),
    ).toHaveLength(
      new Date('2026-01-01T23:59:00Z').toDateString() === new Date('2026-01-02T12:00:01Z').toDateString()
        ? 1
        : 2,
    );
  });

  it('should group the reader’s pending messages after their own stored ones', () => {
    const messages = [at('2026-01-01T10:00:00Z', ann)];
    const pending = [
      {
        clientId: 'c1',
        room: 'general',
        text: 'x',
        status: 'sending' as const,
        createdAt: '2026-01-01T10:00:30Z',
      },
    ];
    expect(shape(messageRows({ messages, pending, me: ann })).concat()).toEqual(['day', 'H:ann', 'pending']);
    const rows = messageRows({ messages, pending, me: ann });
    expect(rows.at(-1)).toMatchObject({ kind: 'pending', head: false });
  });
});
