import { get } from 'node:http';
import net from 'node:net';

/** A TCP socket that sent the start of an upgrade request and holds, as a half-open attacker does. */
export interface HalfOpenSocket {
  socket: net.Socket;
  /** Every byte the server sent. */
  received(): string;
  /** Resolves when the server closed the socket (the test never closes it before). */
  closed: Promise<void>;
}

/** Opens a socket from `localAddress`, writes the request line and some headers, never the end. */
export function openHalfUpgrade(port: number, localAddress = '127.0.0.1'): Promise<HalfOpenSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress });
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    // A reset is the server hanging up too.
    socket.on('error', () => undefined);
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () => {
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`,
      );
      resolve({ socket, received: () => data, closed });
    });
    socket.once('error', reject);
  });
}

/**
 * A login from `localAddress` with complete headers for a 100,000-byte body that then trickles
 * in a byte a second until the server hangs up.
 */
export function openSlowBody(port: number, localAddress: string): Promise<HalfOpenSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress });
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    let drip: NodeJS.Timeout | undefined;
    const closed = new Promise<void>((done) =>
      socket.once('close', () => {
        clearInterval(drip);
        done();
      }),
    );
    socket.once('connect', () => {
      socket.write(
        `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
          'Content-Length: 100000\r\n\r\n{',
      );
      drip = setInterval(() => socket.writable && socket.write(' '), 1000);
      resolve({ socket, received: () => data, closed });
    });
    socket.once('error', reject);
  });
}

/** GET over a fresh connection from `localAddress`: status and body. */
export function getFrom(
  url: string,
  localAddress: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { localAddress, headers, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
}

/** A Prometheus sample's value, 0 when absent. */
export function sample(metrics: string, name: string): number {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}
