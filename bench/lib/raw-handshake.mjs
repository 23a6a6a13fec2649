import { createHash } from 'node:crypto';
import net from 'node:net';

/**
 * A WebSocket client handshake with nothing else: one request written on a raw TCP socket, the
 * 101 response checked (status, Sec-WebSocket-Accept, subprotocol), then, when asked, the first
 * frame awaited and its start compared. The connection storm uses it instead of the `ws` client,
 * which costs the load generator more per connection than the baseline server does: with it, the
 * storm measured the generator (at 95 % of its core, both servers well below theirs).
 *
 * The key is the same for every connection, so the accept value is computed once; servers do not
 * care, and the check still catches a server that does not speak WebSocket.
 */
// RFC 6455's sample nonce: base64 of 16 bytes, as servers require.
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const ACCEPT = createHash('sha1').update(`${KEY}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
const ACCEPT_LINE = `Sec-WebSocket-Accept: ${ACCEPT}`;

/** What the registry needs of a connection: a way to cut it, and whether the server closed it. */
export class RawConnection {
  closed = false;
  /** @type {number | null} the TCP connection has no close code; the report counts it under 1006 */
  closeCode = null;

  /** @param {net.Socket} socket */
  constructor(socket) {
    this.socket = socket;
  }

  /** Closes with a reset: a FIN would leave a TIME_WAIT entry, and ten thousand of them slow every later run's connects. */
  terminate() {
    this.socket.resetAndDestroy();
  }
}

/**
 * Opens one WebSocket on 127.0.0.1 and resolves once it is usable: after the 101, or after the
 * first frame when `firstFramePrefix` is given (its payload must start with that text).
 * @param {{ port: number, path: string, protocol?: string, firstFramePrefix?: string, timeoutMs: number }} options
 * @returns {Promise<RawConnection>}
 */
export function rawHandshake({ port, path, protocol, firstFramePrefix, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    const connection = new RawConnection(socket);
    // Latin-1 text: one byte per character, so frame offsets can be read off the string.
    let received = '';
    const timer = setTimeout(() => fail(new Error(`no handshake within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const onData = (chunk) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!received.startsWith('HTTP/1.1 101'))
        return fail(new Error(received.slice(0, received.indexOf('\r\n'))));
      const head = received.slice(0, end);
      if (!head.includes(ACCEPT_LINE)) return fail(new Error('bad Sec-WebSocket-Accept'));
      if (protocol && !head.includes(`Sec-WebSocket-Protocol: ${protocol}`))
        return fail(new Error(`subprotocol ${protocol} not chosen`));
      if (firstFramePrefix) {
        // Unmasked server frame: 2 header bytes for payloads under 126 bytes, 4 up to 64 KiB.
        const frameAt = end + 4;
        const offset = frameAt + ((received.charCodeAt(frameAt + 1) & 0x7f) === 126 ? 4 : 2);
        if (received.length < offset + firstFramePrefix.length) return;
        if (!received.startsWith(firstFramePrefix, offset))
          return fail(new Error(`unexpected first frame: ${received.slice(offset, offset + 80)}`));
      }
      clearTimeout(timer);
      socket.off('data', onData);
      // Nothing else is read: the storm only holds the connections open.
      socket.on('data', ignore);
      resolve(connection);
    };
    socket.on('data', onData);
    socket.once('connect', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n` +
          (protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : '') +
          '\r\n',
      ),
    );
    socket.on('error', fail);
    socket.on('close', () => {
      connection.closed = true;
      fail(new Error('closed during the handshake'));
    });
  });
}

function ignore() {}
