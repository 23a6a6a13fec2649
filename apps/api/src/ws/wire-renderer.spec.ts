import { describe, expect, it } from '@jest/globals';
import { PROTOCOL_V1 } from '@chat/contracts';
import { WIRE_RENDERERS } from './wire-renderer.js';

describe('WIRE_RENDERERS.eventJson', () => {
  const data = { connectionId: 'c1', user: { id: 'u1', name: 'ann "the" \\ one', guest: true } };

  it('should say in chat.v1 exactly what event() says, from data that is JSON already', () => {
    const renderer = WIRE_RENDERERS[PROTOCOL_V1];
    const json = renderer.eventJson('welcome', JSON.stringify(data));
    expect(json).not.toBeNull();
    expect(JSON.parse(json!)).toEqual(renderer.event('welcome', data as never));
  });

  it('should say nothing in the simple protocol, which has no such events', () => {
    expect(WIRE_RENDERERS.simple.eventJson('welcome', JSON.stringify(data))).toBeNull();
  });
});
