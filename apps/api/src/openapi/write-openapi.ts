import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../app.factory.js';
import { loadConfig } from '../config/load-config.js';
import { openApiDocument } from './openapi-document.js';

/**
 * `npm run openapi`: writes docs/openapi.json from the controllers (the script then runs
 * prettier on it). The configuration is fixed, not the machine's, so every run writes the same.
 */
export const OPENAPI_ENV = { NODE_ENV: 'test', LOG_LEVEL: 'silent' } as const;

const dataDir = mkdtempSync(join(tmpdir(), 'chat-openapi-'));
try {
  const app = await createApp(loadConfig({ ...OPENAPI_ENV, DATA_DIR: dataDir }));
  const document = openApiDocument(app);
  await app.close();
  const target = new URL('../../../../docs/openapi.json', import.meta.url);
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote ${target.pathname}\n`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
