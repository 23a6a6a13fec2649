import net from 'node:net';

/**
 * A TCP port that is free on 127.0.0.1 right now: the kernel picks it for a throwaway listener.
 * A tiny race remains (someone could take it before the server binds); the server's readiness
 * check catches that as a failed start rather than a wrong measurement.
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
