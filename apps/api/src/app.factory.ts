import { readFileSync } from 'node:fs';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { attachChatTransport, protectChatHttp } from './chat-module/chat-transport.js';
import type { AppConfig } from './config/app-config.schema.js';
import { NestPinoLogger } from './logging/nest-pino-logger.js';
import { OPENAPI_UI_PATH, serveOpenApi } from './openapi/openapi-document.js';
import { docsSecurityHeaders } from './web/security-headers.js';

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
   * AppModule: how tests plug a module in without editing the app module.
   */
  imports?: NonNullable<ModuleMetadata['imports']>;
}

/**
 * Builds the whole server (HTTP API, WebSocket gateway, SPA) without listening: main and tests
 * share it. It is built as any host app builds on the chat (docs/embedding.md): the public
 * ChatModule, then attachChatTransport.
 */
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
  attachChatTransport(app, { perMessageDeflate: options.perMessageDeflate });
  protectChatHttp(app);
  // After the app-wide headers, so that the docs UI's relaxed style-src replaces them there.
  app.use(`/${OPENAPI_UI_PATH}`, docsSecurityHeaders());
  serveOpenApi(app);
  return app;
}
