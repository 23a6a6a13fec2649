import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OPENAPI_ENV, openApiDocument } from '../apps/api/src/openapi/openapi-document.js';
import request from 'supertest';
import { startApp, type TestApp } from './utils/start-app.js';

const CHECKED_IN = new URL('../docs/openapi.json', import.meta.url);
/** The writer behind `npm run openapi`, built (npm test builds first). */
const WRITER = new URL('../apps/api/dist/openapi/write-openapi.js', import.meta.url);

describe('the OpenAPI document', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startApp({ ...OPENAPI_ENV });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('should match docs/openapi.json (if not: run `npm run openapi` and commit the file)', () => {
    const generated = JSON.parse(
      execFileSync(process.execPath, [WRITER.pathname, '--stdout'], { encoding: 'utf8' }),
    ) as unknown;
    const checkedIn = JSON.parse(readFileSync(CHECKED_IN, 'utf8')) as unknown;
    expect(generated).toEqual(checkedIn);
  });

  it('should print only the document on stdout where the SPA is not built: the warning goes to stderr', () => {
    // The built API alone, as in a checkout where only `tsc -b` ran: no apps/web/dist beside it.
    const root = mkdtempSync(join(tmpdir(), 'chat-openapi-no-spa-'));
    try {
      cpSync(new URL('../apps/api/dist', import.meta.url), join(root, 'apps/api/dist'), { recursive: true });
      cpSync(new URL('../apps/api/package.json', import.meta.url), join(root, 'apps/api/package.json'));
      symlinkSync(
        new URL('../apps/api/node_modules', import.meta.url).pathname,
        join(root, 'apps/api/node_modules'),
      );
      symlinkSync(new URL('../node_modules', import.meta.url).pathname, join(root, 'node_modules'));
      const run = spawnSync(
        process.execPath,
        [join(root, 'apps/api/dist/openapi/write-openapi.js'), '--stdout'],
        {
          encoding: 'utf8',
        },
      );
      expect(run.status).toBe(0);
      expect(run.stderr).toContain('no SPA at');
      expect(JSON.parse(run.stdout)).toEqual(JSON.parse(readFileSync(CHECKED_IN, 'utf8')));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('should describe the service routes with their scopes and schemas', () => {
    const document = openApiDocument(server.app);
    const post = document.paths['/api/rooms/{room}/messages']?.post;
    expect(post?.['x-api-key-scope' as keyof typeof post]).toBe('messages:write');
    const history = document.paths['/api/rooms/{room}/messages']?.get;
    expect(history?.['x-api-key-scope' as keyof typeof history]).toBe('messages:read');
    const directory = document.paths['/api/rooms']?.get;
    expect(directory?.['x-api-key-scope' as keyof typeof directory]).toBe('rooms:manage');
    expect(directory?.['x-api-key-scopes' as keyof typeof directory]).toEqual(['rooms:manage', 'rooms:read']);
    expect(JSON.stringify(post?.requestBody)).toContain('"asUser"');
    expect(Object.keys(post?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '200', '401', '403', '409', '413', '429']),
    );
  });

  it('should serve the JSON at /api/docs-json and the UI at /api/docs', async () => {
    const json = await request(server.baseUrl).get('/api/docs-json');
    expect(json.status).toBe(200);
    expect(json.body).toEqual(JSON.parse(JSON.stringify(openApiDocument(server.app))));
    const ui = await request(server.baseUrl).get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
    const csp = String(ui.headers['content-security-policy']);
    // The UI's own policy: inline styles allowed, scripts still only from the server.
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self';");
    const init = await request(server.baseUrl).get('/api/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
  });

  it('should keep the strict policy everywhere else', async () => {
    const api = await request(server.baseUrl).get('/api/rooms');
    expect(String(api.headers['content-security-policy'])).toContain("style-src 'self';");
  });
});
