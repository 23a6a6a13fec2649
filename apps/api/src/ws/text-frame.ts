/**
 * A complete unmasked WebSocket text frame (RFC 6455 section 5.2: FIN, opcode 1, the payload
 * length, the payload), built in one allocation. A broadcast frames its message once and hands
 * every recipient's TCP socket the same bytes, instead of having `ws` build a header and issue
 * a write per recipient.
 */
export function encodeTextFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (headerLength === 2) {
    frame[1] = length;
  } else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(text, headerLength, 'utf8');
  return frame;
}

/** The payload of a frame made by {@link encodeTextFrame} (a view, not a copy). */
export function textFramePayload(frame: Buffer): Buffer {
  const code = frame[1]!;
  return frame.subarray(code < 126 ? 2 : code === 126 ? 4 : 10);
}
