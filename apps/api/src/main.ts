#!/usr/bin/env node
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { describeStartupError } from './startup-error.js';

async function main(): Promise<void> {
  // An optional .env file; variables already set in the environment win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  // The one place that reads process.env.
  const config = loadConfig(process.env);
  const app = await createApp(config);
  // SIGTERM/SIGINT: refuse new connections, let in-flight frames finish (their writes and acks),
  // close clients with 1001 so they reconnect elsewhere, close the database, exit 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await (config.HOST ? app.listen(config.PORT, config.HOST) : app.listen(config.PORT));
  const host = config.HOST && config.HOST !== '0.0.0.0' && config.HOST !== '::' ? config.HOST : 'localhost';
  const secure = config.TLS_CERT ? 's' : '';
  const server = `http${secure}://${host}:${config.PORT}`;
  new Logger('Chat').log(
    config.WEB_APP_URL
      ? `Chat API at ${server}: open the app at ${config.WEB_APP_URL}`
      : `Chat is running at ${server} (WebSocket: ws${secure}://${host}:${config.PORT}/ws)`,
  );
}

main().catch((error: unknown) => {
  // One line that says what is wrong and what to do, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : describeStartupError(error));
  process.exit(1);
});
