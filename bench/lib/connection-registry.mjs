/**
 * Every connection a scenario opened, so the runner can tear them all down even when the
 * scenario failed or hit its hard timeout half way through.
 */
export class ConnectionRegistry {
  /** @type {Set<import('./connection.mjs').BenchConnection>} */
  connections = new Set();

  add(connection) {
    this.connections.add(connection);
  }

  terminateAll() {
    for (const connection of this.connections) connection.terminate();
    this.connections.clear();
  }
}

/**
 * Connections that were closed before teardown, by close code: with the harness never closing
 * anything itself during a run, each of these was the server's doing (or a crash).
 * @param {ConnectionRegistry} registry
 */
export function closedEarly(registry) {
  /** @type {Record<string, number>} */
  const byCode = {};
  for (const connection of registry.connections) {
    if (connection.closed) byCode[connection.closeCode] = (byCode[connection.closeCode] ?? 0) + 1;
  }
  return Object.keys(byCode).length === 0 ? null : byCode;
}
