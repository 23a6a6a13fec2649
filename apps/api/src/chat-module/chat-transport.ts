import { Logger, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ChatGateway } from '../chat/chat.gateway.js';
import { compileProxyTrust } from '../common/net/proxy-trust.js';
import { AppConfigService } from '../config/app-config.service.js';
import type { AppConfig } from '../config/app-config.schema.js';
import { ChatCore } from '../core/chat-core.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { originAllowList } from '../web/origins.js';
import { securityHeaders } from '../web/security-headers.js';
import { ChatWsAdapter } from '../ws/chat-ws-adapter.js';
import { admitConnections } from '../ws/connection-admission.js';
import { connectionBudget, fileDescriptorLimit } from '../ws/connection-budget.js';
import { RefusalLog } from '../ws/refusal-log.js';
import { UpgradePolicy } from '../ws/upgrade-policy.js';
import { ChatCsrfCheck } from './chat-csrf.middleware.js';

/** Where the chat's WebSocket is served unless told otherwise (the SPA and docs/protocol.md use it). */
export const DEFAULT_CHAT_PATH = '/ws';

export interface ChatTransportOptions {
  /** The chat's WebSocket path; every other path stays the host's. Default `/ws`. */
  path?: string;
  /**
   * WebSocket permessage-deflate (ws's option): off by default, because it costs more CPU and
   * memory per connection than it saves on our small frames (docs/performance.md has the figures).
   */
  perMessageDeflate?: boolean | Record<string, unknown>;
  /**
   * The chat's limits at accept (connections per address and in all, the request headers'
   * deadline: MAX_CONNECTIONS*, HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS). They apply to the whole
   * HTTP server, since a connection's path is not known at accept. Default true; a host whose
   * proxy or server already limits that may turn them off.
   */
  admission?: boolean;
}

/**
 * Serves the chat's WebSocket on the app's HTTP server, on its path only, with every limit of
 * the stand-alone server. Call it once, before `app.listen` (or `app.init`), instead of
 * `app.useWebSocketAdapter`: the adapter it installs is also Nest's WsAdapter for the host's own
 * gateways (other paths), which get none of the chat's authentication, limits or frames.
 */
export function attachChatTransport(
  app: INestApplication,
  options: ChatTransportOptions = {},
): ChatWsAdapter {
  const config = appConfig(app);
  const metrics = app.get(MetricsService);
  const trust = compileProxyTrust(config.TRUST_PROXY);
  const refusals = new RefusalLog((reason) => metrics.connectionsRefused.inc({ reason }));
  const budget = connectionBudget(
    config.MAX_CONNECTIONS,
    config.MAX_CONNECTIONS_PER_IP,
    fileDescriptorLimit(),
  );
  if (budget.warning) new Logger('Admission').warn(budget.warning);
  if (options.admission ?? true) {
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
  }
  const adapter = new ChatWsAdapter(app, {
    path: options.path ?? DEFAULT_CHAT_PATH,
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
      origins: originAllowList(config),
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
    lifecycle: app.get(ChatGateway),
  });
  app.useWebSocketAdapter(adapter);
  return adapter;
}

/**
 * The chat's HTTP defaults for an Express app: security headers, the CSRF check of cookie-borne
 * sessions (before the body parsers, so a forged form post is refused unread), the proxies
 * TRUST_PROXY names, no X-Powered-By. The chat's own server applies them to every route; a host
 * app may call this too, or keep its own equivalents.
 */
export function protectChatHttp(app: INestApplication): void {
  const config = appConfig(app);
  const express = app as NestExpressApplication;
  express.use(securityHeaders(Boolean(config.TLS_CERT && config.TLS_KEY)));
  express.use(app.get(ChatCsrfCheck).middleware);
  express.set('trust proxy', compileProxyTrust(config.TRUST_PROXY));
  express.disable('x-powered-by');
}

function appConfig(app: INestApplication): AppConfig {
  return app.get(AppConfigService).all;
}
