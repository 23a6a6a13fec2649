import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { attachChatTransport, protectChatHttp } from '@chat/api';
import { HostAppModule, type HostSettings } from './host-app.module.js';

/** Builds and starts the host app: main and the e2e suite share it. */
export async function startHostApp(settings: HostSettings): Promise<INestApplication> {
  const app = await NestFactory.create(HostAppModule.forRoot(settings), {
    logger: ['error', 'warn'],
    // The webhook receiver checks signatures over the bytes as sent (req.rawBody).
    rawBody: true,
  });
  // The chat's WebSocket on /ws; EchoGateway keeps /host-ws (one adapter serves both paths).
  attachChatTransport(app);
  // The chat's security headers and CSRF check of cookie sessions, for every route here too.
  protectChatHttp(app);
  await app.listen(settings.port, '127.0.0.1');
  return app;
}
