import { describe, expect, it } from '@jest/globals';
import { parseFrame } from './parse-frame.js';
import { SIMPLE_PROTOCOL_EVENT } from './wire-protocol.js';

describe(parseFrame.name, () => {
  it('should route a chat.v1 frame by its event', () => {
    expect(parseFrame('{"event":"join","data":{"room":"general"}}', 'chat.v1')).toEqual({
      ok: true,
      event: 'join',
      data: { room: 'general' },
    });
  });

  it('should read a missing data as an empty object', () => {
    expect(parseFrame('{"event":"ping"}', 'chat.v1')).toEqual({ ok: true, event: 'ping', data: {} });
  });

  it('should route every simple-protocol frame to the simple handler', () => {
    expect(parseFrame('{"event":"join","message":"x"}', 'simple')).toMatchObject({
      ok: true,
      event: SIMPLE_PROTOCOL_EVENT,
    });
  });

  it.each([
    ['{', /invalid JSON/],
    ['[]', /JSON object/],
    ['{"event":1}', /"event" must be a string/],
    ['{"event":"constructor"}', /unknown event "constructor"/],
    ['{"event":"__proto__"}', /unknown event/],
  ])('should explain what is wrong with %s', (text, message) => {
    const result = parseFrame(text, 'chat.v1');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });

  it('should truncate a huge unknown event name in the answer', () => {
    const result = parseFrame(JSON.stringify({ event: 'x'.repeat(10_000) }), 'chat.v1');
    expect(!result.ok && result.message.length).toBeLessThan(300);
  });
});
