import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfigService } from '../config/app-config.service.js';
import { metricsVerdict } from './metrics-access.js';
import { MetricsService } from './metrics.service.js';

/**
 * /metrics on a port of its own (METRICS_PORT), so a firewall can keep it to the monitoring
 * network while the main port is public. Nothing else is served there.
 */
@Injectable()
export class MetricsPortServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsPortServer.name);
  private server: Server | undefined;

  constructor(
    private readonly config: AppConfigService,
    private readonly metrics: MetricsService,
  ) {}

  /** The port it listens on (METRICS_PORT=0 picks a free one); undefined when off. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.get('METRICS_PORT');
    if (port === undefined) return;
    const token = this.config.get('METRICS_TOKEN');
    const server = createServer((request, response) => {
      const verdict =
        request.method === 'GET' && request.url?.split('?')[0] === '/metrics'
          ? metricsVerdict({ token, ownPort: true }, 'metrics', request.headers.authorization, undefined)
          : ({ ok: false, status: 404, message: 'not found' } as const);
      if (!verdict.ok) {
        response.writeHead(verdict.status, { 'Content-Type': 'application/json' });
        response.end(
          JSON.stringify({
            code: verdict.status === 401 ? 'unauthorized' : 'not_found',
            message: verdict.message,
          }),
        );
        return;
      }
      this.metrics.registry.metrics().then(
        (text) => {
          response.writeHead(200, {
            'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
            'Cache-Control': 'no-store',
          });
          response.end(text);
        },
        (error: unknown) => {
          this.logger.error(error);
          response.writeHead(500).end();
        },
      );
    });
    const host = this.config.get('HOST');
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
