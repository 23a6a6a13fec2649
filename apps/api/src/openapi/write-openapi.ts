import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { createApp } from '../app.factory.js';
import { loadConfig } from '../config/load-config.js';
import { OPENAPI_ENV, openApiDocument } from './openapi-document.js';
import { StderrLogger } from './stderr-logger.js';

// `npm run openapi`: writes docs/openapi.json from the controllers (the script then runs
// prettier on it); with --stdout, prints it instead (test/openapi.e2e-spec.ts compares that
// with the checked-in file). Run as a plain Node process on purpose: some decorators (terminus'
// health checks) describe themselves only when they can load @nestjs/swagger the way Node does.
// Nest's warnings (such as "no SPA" when apps/web is not built) are printed before the app's
// own logger is set up, on stdout by default: there, they would corrupt the document.
Logger.overrideLogger(new StderrLogger());
const dataDir = mkdtempSync(join(tmpdir(), 'chat-openapi-'));
try {
  const app = await createApp(loadConfig({ ...OPENAPI_ENV, DATA_DIR: dataDir }));
  const json = `${JSON.stringify(openApiDocument(app), null, 2)}\n`;
  await app.close();
  if (process.argv.includes('--stdout')) {
    process.stdout.write(json);
  } else {
    const target = new URL('../../../../docs/openapi.json', import.meta.url);
    writeFileSync(target, json);
    process.stdout.write(`wrote ${target.pathname}\n`);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
