import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { MetricsPortServer } from '../apps/api/src/metrics/metrics-port.server.js';
import { Bystander, describeBystander } from './utils/bystander.js';
import { getFrom } from './utils/raw-http.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

describe('less exposed', () => {
  let server: TestApp | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await closeAll(clients.splice(0));
    await server?.close();
    server = undefined;
  });

  /** 'open' or the refusal, for an upgrade with these headers. */
  const upgrade = async (headers: Record<string, string>) => {
    try {
      const client = await TestClient.connect(server!.wsUrl, { headers });
      clients.push(client);
      await client.next('welcome');
      return 'open';
    } catch (error) {
      return (error as Error).message;
    }
  };

  describe('/metrics', () => {
    it('should answer loopback clients only when neither METRICS_TOKEN nor METRICS_PORT is set', async () => {
      // TRUST_PROXY: the test plays a proxy on loopback forwarding for a remote client.
      server = await startApp({ TRUST_PROXY: '1' });
      await request(server.baseUrl).get('/metrics').expect(200);
      await request(server.baseUrl).get('/metrics').set('X-Forwarded-For', '127.0.0.1').expect(200);
      const remote = await request(server.baseUrl).get('/metrics').set('X-Forwarded-For', '203.0.113.5');
      expect(remote.status).toBe(404);
      expect(remote.text).not.toContain('chat_open_connections');
    });

    it('should not count a request a proxy forwarded as loopback when TRUST_PROXY is off', async () => {
      // An nginx on the same host connects from loopback on behalf of anyone.
      server = await startApp({});
      await request(server.baseUrl).get('/metrics').expect(200);
      for (const headers of [
        { 'X-Forwarded-For': '127.0.0.1' },
        { 'X-Forwarded-For': '203.0.113.5' },
        { 'X-Real-IP': '203.0.113.5' },
        { Forwarded: 'for=203.0.113.5' },
      ]) {
        const proxied = await request(server.baseUrl).get('/metrics').set(headers);
        expect({ headers, status: proxied.status }).toEqual({ headers, status: 404 });
        expect(proxied.text).not.toContain('chat_open_connections');
      }
    });

    it('should require the bearer token when METRICS_TOKEN is set, from anywhere', async () => {
      const token = 'metrics-token-0123456789';
      server = await startApp({ METRICS_TOKEN: token });
      const missing = await request(server.baseUrl).get('/metrics');
      expect(missing.status).toBe(401);
      expect(missing.body).toMatchObject({
        code: 'unauthorized',
        message: expect.stringContaining('METRICS_TOKEN'),
      });
      await request(server.baseUrl)
        .get('/metrics')
        .set('Authorization', 'Bearer wrong-token-0123456789')
        .expect(401);
      const scraped = await request(server.baseUrl)
        .get('/metrics')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(scraped.text).toContain('chat_open_connections');
    });

    it('should serve /metrics only on METRICS_PORT when it is set', async () => {
      server = await startApp({ METRICS_PORT: '0' });
      await request(server.baseUrl).get('/metrics').expect(404);
      const port = server.app.get(MetricsPortServer).port;
      expect(port).toBeGreaterThan(0);
      const scraped = await getFrom(`http://127.0.0.1:${port}/metrics`, '127.0.0.1');
      expect(scraped.status).toBe(200);
      expect(scraped.body).toContain('chat_open_connections');
      expect((await getFrom(`http://127.0.0.1:${port}/api/rooms`, '127.0.0.1')).status).toBe(404);
    });
  });

  describe('origins', () => {
    it('should accept the server’s own loopback origins on its own port only', async () => {
      server = await startApp({});
      const port = server.port;
      for (const origin of [`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`]) {
        expect(await upgrade({ Origin: origin })).toBe('open');
      }
      expect(await upgrade({ Origin: `http://127.0.0.1:${port === 65535 ? 1 : port + 1}` })).toBe(
        'upgrade refused: HTTP 403',
      );
      expect(await upgrade({ Origin: `https://127.0.0.1:${port}` })).toBe('upgrade refused: HTTP 403');
    });

    it('should refuse a DNS-rebound page even though its Origin matches the Host header', async () => {
      server = await startApp({});
      const bystander = await Bystander.start(server.wsUrl);
      const rebound = `rebind.example:${server.port}`;
      for (let i = 0; i < 100; i++) {
        expect(await upgrade({ Origin: `http://${rebound}`, Host: rebound })).toBe(
          'upgrade refused: HTTP 403',
        );
      }
      await request(server.baseUrl)
        .post('/api/auth/guest')
        .set('Host', rebound)
        .set('Origin', `http://${rebound}`)
        .send({ name: 'Rebound' })
        .expect(403);
      const report = await bystander.stop();
      console.log(describeBystander('100 DNS-rebinding upgrade attempts', report));
      expect(report.unanswered).toBe(0);
    });

    it('should allow the Vite dev server’s origin only when NODE_ENV=development', async () => {
      for (const [env, expected] of [
        ['production', 'upgrade refused: HTTP 403'],
        ['test', 'upgrade refused: HTTP 403'],
        ['development', 'open'],
      ] as const) {
        server = await startApp({ NODE_ENV: env });
        expect(await upgrade({ Origin: 'http://localhost:5173' })).toBe(expected);
        const guest = await request(server.baseUrl)
          .post('/api/auth/guest')
          .set('Origin', 'http://localhost:5173')
          .send({ name: 'Dev' });
        expect(guest.status).toBe(expected === 'open' ? 200 : 403);
        await closeAll(clients.splice(0));
        await server.close();
        server = undefined;
      }
    });
  });
});
