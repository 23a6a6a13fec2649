import net from 'node:net';

/**
 * The smallest load balancer: each new connection goes to the first backend that accepts it, in
 * the given order. No stickiness, so a client whose backend died lands on the next one.
 */
export class FailoverProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private backendPorts: number[]) {}

  /** Backends chosen after start: pages served through the proxy need its origin allowed first. */
  route(backendPorts: number[]): void {
    this.backendPorts = backendPorts;
  }

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      this.track(client);
      this.connect(client, this.backendPorts);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private connect(client: net.Socket, ports: number[]): void {
    const [port, ...rest] = ports;
    if (port === undefined || client.destroyed) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: '127.0.0.1', port });
    upstream.once('error', () => (upstream.remoteAddress ? client.destroy() : this.connect(client, rest)));
    upstream.once('connect', () => {
      this.track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }
}
