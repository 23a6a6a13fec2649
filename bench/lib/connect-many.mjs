import { roomNames } from './targets.mjs';

/**
 * Opens `count` connections (connect, then join when `join` is set) with at most `concurrency`
 * handshakes in flight: unbounded, thousands of simultaneous SYNs overflow the listen backlog
 * and the result measures kernel retransmit timers instead of the server.
 *
 * Failures are counted, not thrown: a server refusing connections is a result to report.
 * With several rooms, connection i joins room i mod rooms (so senders 0..rooms-1 are one per room).
 * @param {{ target: import('./targets.mjs').Target, server: import('./server-process.mjs').ServerGroup,
 *   count: number, concurrency: number, join: boolean, rooms?: number,
 *   open?: (port: number, index: number) => Promise<{ terminate(): void }>,
 *   registry: import('./connection-registry.mjs').ConnectionRegistry, offset?: number,
 *   deadline: number }} options
 */
export async function connectMany({
  target,
  server,
  count,
  rooms = 1,
  open = (port, index) => target.connect(port, index),
  concurrency,
  join,
  registry,
  offset = 0,
  deadline,
}) {
  /** @type {Array<import('./connection.mjs').BenchConnection | null>} */
  const connections = new Array(count).fill(null);
  const failures = { count: 0, first: null };
  let next = 0;
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      const index = next++;
      let connection;
      try {
        connection = await open(server.portFor(offset + index), offset + index);
        registry.add(connection);
        if (join) await target.join(connection, roomNames(rooms)[index % rooms]);
        connections[index] = connection;
      } catch (error) {
        // A half-set-up client would still cost the server memory while not being counted.
        connection?.terminate();
        failures.count++;
        failures.first ??= error.message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const unfinished = connections.filter((c) => c === null).length - failures.count;
  if (unfinished > 0) {
    failures.count += unfinished;
    failures.first ??= 'time ran out before every connection was opened';
  }
  return { connections: connections.filter((c) => c !== null), failures };
}
