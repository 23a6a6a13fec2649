import { PROTOCOL_V1 } from '@chat/contracts';
import { encodeTextFrame, textFramePayload } from './text-frame.js';
import type { WireProtocol } from './wire-protocol.js';

/**
 * One outgoing frame for many recipients: each protocol's bytes are produced at most once, on
 * first use, as a complete WebSocket frame shared by every recipient of that protocol.
 */
export class BroadcastFrame {
  // Two fields rather than a Map: one of these is made per message, and read once per recipient.
  private v1: Buffer | null | undefined;
  private simple: Buffer | null | undefined;

  constructor(private readonly encoders: Partial<Record<WireProtocol, () => unknown>>) {}

  /** The whole WebSocket frame for a protocol, or null when this frame is not meant for it. */
  wireBytesFor(protocol: WireProtocol): Buffer | null {
    if (protocol === PROTOCOL_V1) return this.v1 === undefined ? (this.v1 = this.encode(protocol)) : this.v1;
    return this.simple === undefined ? (this.simple = this.encode(protocol)) : this.simple;
  }

  /** The JSON payload for a protocol (a view into the frame), or null. */
  bytesFor(protocol: WireProtocol): Buffer | null {
    const frame = this.wireBytesFor(protocol);
    return frame && textFramePayload(frame);
  }

  private encode(protocol: WireProtocol): Buffer | null {
    const encode = this.encoders[protocol];
    return encode ? encodeTextFrame(JSON.stringify(encode())) : null;
  }
}
