import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { resolveWebDist } from '../apps/api/src/web/web-dist.js';
import { startApp, type TestApp } from './utils/start-app.js';

describe('the SPA over HTTP', () => {
  let server: TestApp;

  beforeAll(async () => {
    if (!existsSync(`${resolveWebDist(undefined)}/index.html`)) {
      throw new Error(
        'apps/web/dist is missing: `npm test` builds it; run `npm run build` first when calling jest directly',
      );
    }
    server = await startApp();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('GET / should serve the SPA', async () => {
    const response = await request(server.baseUrl).get('/').expect(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.text).toContain('<div id="root">');
    expect(response.text).toMatch(/<script type="module"[^>]+src="\/assets\//);
  });

  it('GET of a client-side route should serve the SPA too', async () => {
    const response = await request(server.baseUrl).get('/rooms/general').expect(200);
    expect(response.text).toContain('<div id="root">');
  });

  it('GET of an unknown /api route should be a JSON 404, not the SPA', async () => {
    const response = await request(server.baseUrl).get('/api/nope').expect(404);
    expect(response.headers['content-type']).toContain('application/json');
  });

  it('should ship no source maps: no .map file in the build, no sourceMappingURL, none served', async () => {
    const dist = resolveWebDist(undefined);
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' });
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    const code = files.filter((file) => /\.(js|css|html)$/.test(file));
    expect(code.length).toBeGreaterThan(0);
    for (const file of code) expect(readFileSync(join(dist, file), 'utf8')).not.toContain('sourceMappingURL');

    const index = await request(server.baseUrl).get('/').expect(200);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    expect(script).toBeDefined();
    const asset = await request(server.baseUrl).get(script!).expect(200);
    expect(asset.headers['sourcemap']).toBeUndefined();
    expect(asset.headers['x-sourcemap']).toBeUndefined();
    const map = await request(server.baseUrl).get(`${script!}.map`);
    // A missing file gets the SPA's index.html (client-side routing), never a map.
    expect(map.headers['content-type']).toContain('text/html');
    expect(map.text).not.toContain('"mappings"');
  });
});
