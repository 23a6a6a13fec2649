import type { WireProtocol } from './wire-protocol.js';

/**
 * One outgoing frame for many recipients: each protocol's bytes are produced at most once,
 * on first use, and shared by every recipient of that protocol.
 */
export class BroadcastFrame {
  private readonly encoded = new Map<WireProtocol, Buffer | null>();

  constructor(private readonly encoders: Partial<Record<WireProtocol, () => unknown>>) {}

  /** The bytes for a protocol, or null when this frame is not meant for that protocol. */
  bytesFor(protocol: WireProtocol): Buffer | null {
    let bytes = this.encoded.get(protocol);
    if (bytes === undefined) {
      const encode = this.encoders[protocol];
      bytes = encode ? Buffer.from(JSON.stringify(encode())) : null;
      this.encoded.set(protocol, bytes);
    }
    return bytes;
  }
}
