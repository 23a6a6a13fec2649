import { describe, expect, it } from '@jest/globals';
import {
  ChatMessageSchema,
  ClientFrameSchema,
  ClientIdSchema,
  DisplayNameSchema,
  HistoryRequestSchema,
  isClientEventName,
  JoinSchema,
  RoomNameSchema,
  SearchQuerySchema,
  SendSchema,
  ServerFrameSchema,
  SimpleInSchema,
} from './index.js';

describe('RoomNameSchema', () => {
  it.each(['general', 'a', 'room-1', 'r_2', '0day', 'x'.repeat(32)])('should accept %s', (name) => {
    expect(RoomNameSchema.safeParse(name).success).toBe(true);
  });

  it.each(['', 'General', '-lead', '_lead', 'with space', 'x'.repeat(33), 'émoji', 'a/b', "a'; drop"])(
    'should reject %j',
    (name) => {
      expect(RoomNameSchema.safeParse(name).success).toBe(false);
    },
  );
});

describe('DisplayNameSchema', () => {
  it('should trim names', () => {
    expect(DisplayNameSchema.parse('  Alice ')).toBe('Alice');
  });

  it.each(['', '   ', 'x'.repeat(33), 'bell\u0007', 'new\nline', 'c1\u0085'])('should reject %j', (name) => {
    expect(DisplayNameSchema.safeParse(name).success).toBe(false);
  });

  it('should accept non-Latin names and emoji', () => {
    expect(DisplayNameSchema.parse('Zoë 🦊 李')).toBe('Zoë 🦊 李');
  });

  it.each(['lone\ud800', '\udc00x', 'x\ufffe', 'x\uffff', 'x\ufdd0', 'x\u{10ffff}'])(
    'should reject the ill-formed or noncharacter name %j',
    (name) => {
      expect(DisplayNameSchema.safeParse(name).success).toBe(false);
    },
  );
});

describe('SendSchema', () => {
  it('should accept a well-formed send and drop unknown keys', () => {
    const parsed = SendSchema.parse({ room: 'general', text: 'hi', clientId: 'c-1', extra: true });
    expect(parsed).toEqual({ room: 'general', text: 'hi', clientId: 'c-1' });
  });

  it('should reject text containing NUL', () => {
    expect(SendSchema.safeParse({ room: 'general', text: 'a\u0000b', clientId: 'c' }).success).toBe(false);
  });

  it('should reject control characters in text, except newline and tab', () => {
    const send = (text: string) => SendSchema.safeParse({ room: 'general', text, clientId: 'c' }).success;
    for (const char of ['\u0001', '\u0008', '\u000b', '\r', '\u001b', '\u007f', '\u0085', '\u009f']) {
      expect([char, send(`a${char}b`)]).toEqual([char, false]);
    }
    expect(send('a\nb\tc')).toBe(true);
    expect(send('emoji 😀 and \u202e stay')).toBe(true);
  });

  it('should reject lone surrogates and noncharacters in text, and keep paired surrogates', () => {
    const send = (text: string) => SendSchema.safeParse({ room: 'general', text, clientId: 'c' }).success;
    const bad = [
      '\ud800',
      'a\ud800b',
      '\udfff',
      'x\ud83d',
      '\ude00x',
      '\ufffe',
      '\uffff',
      '\ufdd0',
      '\ufdef',
      '\u{1fffe}',
      '\u{10ffff}',
    ];
    for (const text of bad) expect([text, send(text)]).toEqual([text, false]);
    expect(send('\ud800'.repeat(4000))).toBe(false);
    for (const text of ['😀 \ud83d\ude00', '\ufdcf \ufdf0 \ufffd', '\u{10fffd}', '\u{1f600}']) {
      expect([text, send(text)]).toEqual([text, true]);
    }
    expect(SimpleInSchema.safeParse({ name: 'x', message: 'a\ud800' }).success).toBe(false);
  });

  it('should reject blank text', () => {
    expect(SendSchema.safeParse({ room: 'general', text: ' \n\t', clientId: 'c' }).success).toBe(false);
  });

  it('should reject a clientId with spaces or over 64 characters', () => {
    expect(ClientIdSchema.safeParse('has space').success).toBe(false);
    expect(ClientIdSchema.safeParse('x'.repeat(65)).success).toBe(false);
    expect(ClientIdSchema.safeParse('550e8400-e29b-41d4-a716-446655440000').success).toBe(true);
  });
});

describe('JoinSchema and HistoryRequestSchema', () => {
  it('should accept since 0 and reject negative, fractional or unsafe seqs', () => {
    expect(JoinSchema.safeParse({ room: 'general', since: 0 }).success).toBe(true);
    for (const since of [-1, 1.5, 2 ** 60, '3']) {
      expect(JoinSchema.safeParse({ room: 'general', since }).success).toBe(false);
    }
  });

  it('should bound history limits to 1..100', () => {
    expect(HistoryRequestSchema.safeParse({ room: 'general', limit: 100 }).success).toBe(true);
    expect(HistoryRequestSchema.safeParse({ room: 'general', limit: 0 }).success).toBe(false);
    expect(HistoryRequestSchema.safeParse({ room: 'general', limit: 101 }).success).toBe(false);
  });

  it('should take one of before, after and around', () => {
    for (const anchor of [{}, { before: 5 }, { after: 0 }, { around: 7 }]) {
      expect(HistoryRequestSchema.safeParse({ room: 'general', ...anchor }).success).toBe(true);
    }
    for (const anchors of [
      { before: 5, around: 3 },
      { after: 1, before: 9 },
      { after: 1, around: 2 },
    ]) {
      expect(HistoryRequestSchema.safeParse({ room: 'general', ...anchors }).success).toBe(false);
    }
  });
});

describe('SearchQuerySchema', () => {
  it('should trim q, coerce limit, and refuse what is out of bounds or unknown', () => {
    expect(SearchQuerySchema.parse({ q: '  rain ', limit: '5' })).toEqual({ q: 'rain', limit: 5 });
    for (const query of [
      { q: '   ' },
      { q: 'x'.repeat(201) },
      { q: 'a', limit: '51' },
      { q: 'a', sort: 'new' },
      {},
    ]) {
      expect(SearchQuerySchema.safeParse(query).success).toBe(false);
    }
  });
});

describe('SimpleInSchema', () => {
  it('should default a missing or blank name to Anonymous', () => {
    expect(SimpleInSchema.parse({ message: 'hi' }).name).toBe('Anonymous');
    expect(SimpleInSchema.parse({ name: '', message: 'hi' }).name).toBe('Anonymous');
  });

  it('should reject a missing message', () => {
    expect(SimpleInSchema.safeParse({ name: 'Alice' }).success).toBe(false);
  });
});

describe('frames', () => {
  it('should validate client frames by event', () => {
    expect(ClientFrameSchema.safeParse({ event: 'ping', data: {} }).success).toBe(true);
    expect(ClientFrameSchema.safeParse({ event: 'join', data: { room: 'BAD' } }).success).toBe(false);
    expect(ClientFrameSchema.safeParse({ event: 'nope', data: {} }).success).toBe(false);
  });

  it('should validate server frames by event', () => {
    const message = {
      id: 'm1',
      room: 'general',
      seq: 1,
      user: { id: 'u1', name: 'Alice', guest: false },
      text: 'hi',
      time: '2026-01-01T00:00:00.000Z',
    };
    expect(ChatMessageSchema.safeParse(message).success).toBe(true);
    expect(ServerFrameSchema.safeParse({ event: 'message', data: message }).success).toBe(true);
    expect(
      ServerFrameSchema.safeParse({ event: 'message', data: { ...message, time: 'yesterday' } }).success,
    ).toBe(false);
  });

  it('should know client event names without trusting the prototype chain', () => {
    expect(isClientEventName('send')).toBe(true);
    expect(isClientEventName('toString')).toBe(false);
    expect(isClientEventName('__proto__')).toBe(false);
  });
});
