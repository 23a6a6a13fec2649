import { describe, expect, it } from '@jest/globals';
import { selectWireProtocol } from './wire-protocol.js';

describe(selectWireProtocol.name, () => {
  it('should choose the simple protocol when none is offered', () => {
    expect(selectWireProtocol(undefined)).toBe('simple');
    expect(selectWireProtocol('')).toBe('simple');
  });

  it('should choose chat.v1 when it is among the offers', () => {
    expect(selectWireProtocol('chat.v1')).toBe('chat.v1');
    expect(selectWireProtocol('chat.v2, chat.v1')).toBe('chat.v1');
    expect(selectWireProtocol(' chat.v1 ')).toBe('chat.v1');
  });

  it('should refuse offers without chat.v1', () => {
    expect(selectWireProtocol('mqtt')).toBeNull();
    expect(selectWireProtocol('chat.v1x')).toBeNull();
  });
});
