import { PROTOCOL_V1 } from '@chat/contracts';
import { encodeTextFrame, textFramePayload } from './text-frame.js';
import type { WireProtocol } from './wire-protocol.js';
import { WIRE_RENDERERS, type WireRenderer } from './wire-renderer.js';

/**
 * One outgoing frame for many recipients: each protocol's bytes are produced at most once, on
 * first use, as a complete WebSocket frame shared by every recipient of that protocol.
 */
export class BroadcastFrame {
  // Two fields rather than a Map: one of these is made per message, and read once per recipient.
  private v1: Buffer | null | undefined;
  private simple: Buffer | null | undefined;

  /** `render` says the frame in one protocol (through its {@link WireRenderer}), or null: not for it. */
  constructor(private readonly render: (renderer: WireRenderer) => object | null) {}

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
    const payload = this.render(WIRE_RENDERERS[protocol]);
    return payload ? encodeTextFrame(JSON.stringify(payload)) : null;
  }
}
