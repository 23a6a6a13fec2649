import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig } from './config/load-config.js';

async function main(): Promise<void> {
  let config;
  try {
    // The one place that reads process.env.
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const app = await createApp(config);
  // SIGTERM/SIGINT: refuse new connections, let in-flight frames finish (their writes and acks),
  // close clients with 1001 so they reconnect elsewhere, close the database, exit 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await (config.HOST ? app.listen(config.PORT, config.HOST) : app.listen(config.PORT));
  const host = config.HOST && config.HOST !== '0.0.0.0' && config.HOST !== '::' ? config.HOST : 'localhost';
  const secure = config.TLS_CERT ? 's' : '';
  new Logger('Chat').log(
    `Chat is running at http${secure}://${host}:${config.PORT} (WebSocket: ws${secure}://${host}:${config.PORT}/ws)`,
  );
}

void main();
