import { describe, expect, it } from '@jest/globals';
import type { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { encodeTextFrame, textFramePayload } from './text-frame.js';

// ws exports its frame parser at run time; @types/ws does not describe it.
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean }) => Writable & EventEmitter;
};

/** What a real WebSocket endpoint (ws's own parser) reads from the bytes. */
function decode(frame: Buffer): Promise<{ text: string; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) => resolve({ text: data.toString(), isBinary }));
    receiver.on('error', reject);
    receiver.write(frame);
  });
}

describe(encodeTextFrame.name, () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 200_000])(
    'should frame a %i-byte text so that a WebSocket client reads it back',
    async (length) => {
      const text = 'é'.repeat(Math.floor(length / 2)) + 'x'.repeat(length % 2);
      const frame = encodeTextFrame(text);
      expect(await decode(frame)).toEqual({ text, isBinary: false });
      expect(textFramePayload(frame).toString()).toBe(text);
    },
  );
});
