import { describe, expect, it } from '@jest/globals';
import type { ChatMessage } from '@chat/contracts';
import { notificationFor, shouldNotify } from './notify.js';

const message = (text: string, guest = true): ChatMessage => ({
  id: 'm1',
  room: 'ops',
  seq: 1,
  user: { id: 'u-bob', name: 'Bob', guest },
  text,
  time: '2026-01-01T00:00:00.000Z',
});

describe(shouldNotify.name, () => {
  it('should notify only for messages from others while the page is hidden', () => {
    expect(shouldNotify(message('hi'), 'u-me', true)).toBe(true);
    expect(shouldNotify(message('hi'), 'u-me', false)).toBe(false);
    expect(shouldNotify(message('hi'), 'u-bob', true)).toBe(false);
  });
});

describe(notificationFor.name, () => {
  it('should name the author (marking guests) and the room, with one tag per room', () => {
    expect(notificationFor(message('hi'))).toEqual({
      title: 'Bob (guest) in #ops',
      options: { body: 'hi', tag: 'chat-room-ops' },
    });
    expect(notificationFor(message('hi', false)).title).toBe('Bob in #ops');
  });

  it('should mark a bot as the app does', () => {
    const fromBot: ChatMessage = {
      ...message('beep'),
      user: { id: 'bot-1', name: 'timebot', guest: false, bot: true },
    };
    expect(notificationFor(fromBot).title).toBe('timebot (bot) in #ops');
  });

  it('should cut long texts without splitting a character', () => {
    const body = notificationFor(message('😀'.repeat(200))).options.body!;
    expect([...body]).toHaveLength(161);
    expect(body.endsWith('😀…')).toBe(true);
  });
});
