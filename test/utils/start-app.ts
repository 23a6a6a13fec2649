import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { createApp, type AppOptions } from '../../apps/api/src/app.factory.js';
import { loadConfig } from '../../apps/api/src/config/load-config.js';
import { createTempDir } from './temp-dir.js';

/** For suites about durability and ordering under bursts, not about the rate limits or quotas. */
export const NO_RATE_LIMITS = {
  SEND_RATE_PER_SEC: '0',
  FRAME_RATE_PER_SEC: '0',
  SENDS_PER_MINUTE_PER_USER: '0',
  SENDS_PER_MINUTE_PER_IP: '0',
  READS_PER_MINUTE_PER_USER: '0',
  READS_PER_MINUTE_PER_IP: '0',
} as const;

export interface TestApp {
  app: INestApplication;
  port: number;
  /** http://127.0.0.1:port */
  baseUrl: string;
  /** ws://127.0.0.1:port/ws */
  wsUrl: string;
  close(): Promise<void>;
}

/**
 * Boots the real server on a random port. The environment is exactly `env` (plus quiet logs and,
 * unless given, a fresh SQLite DATA_DIR that is removed on close): the machine's own variables
 * never leak into a test. `options.imports` adds feature modules (a test's own policies or hooks).
 */
export async function startApp(env: Record<string, string> = {}, options: AppOptions = {}): Promise<TestApp> {
  const dataDir = env.DATA_DIR ? undefined : createTempDir();
  const config = loadConfig({ LOG_LEVEL: 'error', NODE_ENV: 'test', DATA_DIR: dataDir?.path ?? '', ...env });
  const app = await createApp(config, options);
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    // A start-up error (a test may expect one): leave no database, socket or directory behind.
    await app.close().catch(() => undefined);
    dataDir?.remove();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    async close() {
      await app.close();
      dataDir?.remove();
    },
  };
}
