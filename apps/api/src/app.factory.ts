import { readFileSync } from 'node:fs';
import { Logger as NestLogger, type INestApplication, type ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { NestPinoLogger } from './logging/nest-pino-logger.js';
import { ChatGateway } from './chat/chat.gateway.js';
import { ChatCore } from './core/chat-core.js';
import { MetricsService } from './metrics/metrics.service.js';
import type { AppConfig } from './config/app-config.schema.js';
import { ChatWsAdapter } from './ws/chat-ws-adapter.js';
import { docsSecurityHeaders, securityHeaders } from './web/security-headers.js';
import { OPENAPI_UI_PATH, serveOpenApi } from './openapi/openapi-document.js';
import { csrfProtection } from './web/csrf-protection.js';
import { OriginAllowList } from './common/net/origin-allow-list.js';
import { compileProxyTrust } from './common/net/proxy-trust.js';
import { admitConnections } from './ws/connection-admission.js';
import { connectionBudget, fileDescriptorLimit } from './ws/connection-budget.js';
import { RefusalLog } from './ws/refusal-log.js';
import { UpgradePolicy } from './ws/upgrade-policy.js';

/** Choices for embedding the server that are not part of its configuration. */
export interface AppOptions {
  /**
   * WebSocket permessage-deflate (ws's option): off by default, because it costs more CPU and
   * memory per connection than it saves on our small frames (docs/performance.md has the figures).
   * The benchmark turns it on to measure exactly that.
   */
  perMessageDeflate?: boolean | Record<string, unknown>;
  /**
   * Feature modules to add to the app (policies, posting hooks, bots...), as if listed in
   * AppModule: how tests and embedders plug a module in without editing the app module.
   */
  imports?: NonNullable<ModuleMetadata['imports']>;
}

/** Builds the whole server (HTTP API, WebSocket gateway, SPA) without listening: main and tests share it. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<INestApplication> {
  const tls = Boolean(config.TLS_CERT && config.TLS_KEY);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.imports), {
    // Start-up messages wait for the structured logger (pino) instead of going to the console.
    bufferLogs: true,
    // Throw start-up errors to the caller (main prints them; tests see them) instead of exiting.
    abortOnError: false,
    // ...and leave saying so to the caller: Nest would print the buffered start-up lines and the
    // error's stack first, burying main's one line (what is wrong, and the fix) under them.
    autoFlushLogs: false,
    // With a certificate, https and wss are served directly on PORT.
    ...(tls && {
      httpsOptions: { cert: readFileSync(config.TLS_CERT!), key: readFileSync(config.TLS_KEY!) },
    }),
  });
  app.useLogger(app.get(NestPinoLogger));
  // The start-up lines buffered so far, now through pino (autoFlushLogs is off, above).
  app.flushLogs();
  const metrics = app.get(MetricsService);
  // One answer to "which peer is a proxy" for Express (req.ip: rate limits, logs) and WebSockets.
  const trust = compileProxyTrust(config.TRUST_PROXY);
  const origins = originAllowList(config, tls);
  const refusals = new RefusalLog((reason) => metrics.connectionsRefused.inc({ reason }));
  const budget = connectionBudget(
    config.MAX_CONNECTIONS,
    config.MAX_CONNECTIONS_PER_IP,
    fileDescriptorLimit(),
  );
  if (budget.warning) new NestLogger('Admission').warn(budget.warning);
  admitConnections(app.getHttpServer(), {
    maxPerIp: budget.perIp,
    maxTcp: budget.tcp,
    maxUnfinishedPerIp: budget.unfinishedPerIp,
    maxUnfinished: budget.unfinished,
    headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    trust,
    refusals,
  });
  app.use(securityHeaders(tls));
  // After the app-wide headers, so that the docs UI's relaxed style-src replaces them there.
  app.use(`/${OPENAPI_UI_PATH}`, docsSecurityHeaders());
  // Before the body parsers: a forged form post is refused unread.
  app.use(csrfProtection(origins));
  app.set('trust proxy', trust);
  app.disable('x-powered-by');
  const gateway = app.get(ChatGateway);
  app.useWebSocketAdapter(
    new ChatWsAdapter(app, {
      maxFrameBytes: config.MAX_FRAME_BYTES,
      maxQueuedBytes: config.MAX_QUEUED_BYTES,
      heartbeatMs: config.HEARTBEAT_MS,
      trustProxy: trust,
      rates: {
        frameRatePerSec: config.FRAME_RATE_PER_SEC,
        frameBurst: config.FRAME_BURST,
        sendRatePerSec: config.SEND_RATE_PER_SEC,
        sendBurst: config.SEND_BURST,
      },
      policy: new UpgradePolicy({
        origins,
        maxConnectionsPerIp: budget.perIp,
        maxConnections: budget.webSockets,
        trust,
        refusals,
      }),
      onSlowConsumer: () => metrics.slowConsumersDropped.inc(),
      onRateDelayed: (limit) => metrics.rateLimited.inc({ limit }),
      // On shutdown, messages accepted before the last frame must be stored and acked first.
      beforeClose: () => app.get(ChatCore).drain(),
      perMessageDeflate: options.perMessageDeflate,
      lifecycle: gateway,
    }),
  );
  serveOpenApi(app);
  return app;
}

/**
 * ALLOWED_ORIGINS, the server's own loopback origins, and the Vite dev server only in
 * development: in production it would be one more origin that any local process can serve.
 */
function originAllowList(config: AppConfig, tls: boolean): OriginAllowList {
  const dev = config.NODE_ENV === 'development' ? [config.DEV_SERVER_ORIGIN] : [];
  if (config.NODE_ENV === 'production' && config.ALLOWED_ORIGINS.length === 0) {
    new NestLogger('Chat').warn(
      'ALLOWED_ORIGINS is empty: browsers can use the chat only from http://localhost; set it to your public origin, such as https://chat.example.com',
    );
  }
  return new OriginAllowList([...config.ALLOWED_ORIGINS, ...dev], tls ? 'https' : 'http');
}
