import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { ChatGateway } from './chat/chat.gateway.js';
import { ChatService } from './chat/chat.service.js';
import { MetricsService } from './metrics/metrics.service.js';
import type { AppConfig } from './config/app-config.schema.js';
import { ChatWsAdapter } from './ws/chat-ws-adapter.js';
import { securityHeaders } from './web/security-headers.js';
import { UpgradePolicy } from './ws/upgrade-policy.js';

/** Choices for embedding the server that are not part of its configuration. */
export interface AppOptions {
  /**
   * WebSocket permessage-deflate (ws's option): off by default, because it costs more CPU and
   * memory per connection than it saves on our small frames (docs/performance.md has the figures).
   * The benchmark turns it on to measure exactly that.
   */
  perMessageDeflate?: boolean | Record<string, unknown>;
}

/** Builds the whole server (HTTP API, WebSocket gateway, SPA) without listening: main and tests share it. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<INestApplication> {
  const tls = Boolean(config.TLS_CERT && config.TLS_KEY);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    // Start-up messages wait for the structured logger (pino) instead of going to the console.
    bufferLogs: true,
    // Throw start-up errors to the caller (main prints them; tests see them) instead of exiting.
    abortOnError: false,
    // With a certificate, https and wss are served directly on PORT.
    ...(tls && {
      httpsOptions: { cert: readFileSync(config.TLS_CERT!), key: readFileSync(config.TLS_KEY!) },
    }),
  });
  app.useLogger(app.get(Logger));
  app.use(securityHeaders(tls));
  // Behind a reverse proxy, req.ip (rate limits, logs) comes from X-Forwarded-For.
  app.set('trust proxy', config.TRUST_PROXY);
  app.disable('x-powered-by');
  const metrics = app.get(MetricsService);
  const gateway = app.get(ChatGateway);
  app.useWebSocketAdapter(
    new ChatWsAdapter(app, {
      maxFrameBytes: config.MAX_FRAME_BYTES,
      maxQueuedBytes: config.MAX_QUEUED_BYTES,
      heartbeatMs: config.HEARTBEAT_MS,
      trustProxy: config.TRUST_PROXY,
      rates: {
        frameRatePerSec: config.FRAME_RATE_PER_SEC,
        frameBurst: config.FRAME_BURST,
        sendRatePerSec: config.SEND_RATE_PER_SEC,
        sendBurst: config.SEND_BURST,
      },
      policy: new UpgradePolicy({
        allowedOrigins: [...config.ALLOWED_ORIGINS, config.DEV_SERVER_ORIGIN],
        maxConnectionsPerIp: config.MAX_CONNECTIONS_PER_IP,
        trustProxy: config.TRUST_PROXY,
      }),
      onSlowConsumer: () => metrics.slowConsumersDropped.inc(),
      onRateDelayed: (limit) => metrics.rateLimited.inc({ limit }),
      // On shutdown, messages accepted before the last frame must be stored and acked first.
      beforeClose: () => app.get(ChatService).drain(),
      perMessageDeflate: options.perMessageDeflate,
      lifecycle: gateway,
    }),
  );
  return app;
}
