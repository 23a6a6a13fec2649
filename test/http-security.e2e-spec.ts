import { execFileSync } from 'node:child_process';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import WebSocket from 'ws';
import { register, TEST_PASSWORD, uniqueUsername } from './utils/accounts.js';
import { startServerProcess } from './utils/server-process.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';

describe('HTTP hygiene', () => {
  let server: TestApp | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('should send security headers with a CSP that allows only the SPA’s own code', async () => {
    server = await startApp();
    const response = await request(server.baseUrl).get('/').expect(200);
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
    // Over plain http there is no HSTS, and no request upgrading.
    expect(response.headers['strict-transport-security']).toBeUndefined();
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it('should set the session cookie HttpOnly and SameSite=Lax (and not Secure over http)', async () => {
    server = await startApp();
    const response = await request(server.baseUrl)
      .post('/api/auth/guest')
      .send({ name: 'Cookie' })
      .expect(200);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/chat_token=[^;]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
  });

  describe('sign-in throttling', () => {
    it('should throttle attempts per username, with Retry-After, without affecting other usernames', async () => {
      server = await startApp({ LOGIN_LIMIT_PER_USERNAME: '3', LOGIN_LIMIT_PER_IP: '0' });
      const { user } = await register(server.baseUrl);
      const attempt = (username: string, password = 'wrong password') =>
        request(server!.baseUrl).post('/api/auth/login').send({ username, password });
      // Registering was the first attempt for this username; the limit counts them all, right or wrong.
      expect((await attempt(user.name)).status).toBe(401);
      expect((await attempt(user.name.toUpperCase(), TEST_PASSWORD)).status).toBe(200);
      const throttled = await attempt(user.name, TEST_PASSWORD);
      expect(throttled.status).toBe(429);
      expect(throttled.body).toMatchObject({ code: 'rate_limited' });
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect((await attempt(uniqueUsername())).status).toBe(401);
    });

    it('should throttle attempts per client IP, across usernames', async () => {
      server = await startApp({ LOGIN_LIMIT_PER_IP: '4', LOGIN_LIMIT_PER_USERNAME: '0' });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await request(server.baseUrl)
          .post('/api/auth/login')
          .send({ username: uniqueUsername(), password: 'whatever1' });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    });
  });
});

describe('no secrets in the logs', () => {
  it('should log neither passwords nor tokens, even at the most verbose level', async () => {
    const dataDir = createTempDir();
    const server = await startServerProcess({ DATA_DIR: dataDir.path, LOG_LEVEL: 'trace' });
    try {
      const password = 'very-secret-password-42';
      const username = uniqueUsername();
      const registered = await request(server.baseUrl)
        .post('/api/auth/register')
        .send({ username, password });
      expect(registered.status).toBe(201);
      await request(server.baseUrl).post('/api/auth/login').send({ username, password: 'wrong-password-99' });
      const token = (registered.body as { token: string }).token;
      await request(server.baseUrl).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
      const socket = new WebSocket(server.wsUrl, ['chat.v1'], {
        headers: { Authorization: `Bearer ${token}` },
      });
      await new Promise((resolve) => socket.once('message', resolve));
      socket.close();
      await new Promise((resolve) => socket.once('close', resolve));
    } finally {
      await server.kill('SIGTERM');
      dataDir.remove();
    }
    const output = server.output();
    expect(output.length).toBeGreaterThan(0);
    expect(output).not.toContain('very-secret-password-42');
    expect(output).not.toContain('wrong-password-99');
    expect(output).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/); // no JWT of any kind
  });
});

describe('TLS (TLS_CERT, TLS_KEY)', () => {
  const dir = createTempDir();
  const cert = join(dir.path, 'cert.pem');
  const key = join(dir.path, 'key.pem');
  let server: TestApp;

  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    server = await startApp({ TLS_CERT: cert, TLS_KEY: key });
  });
  afterAll(async () => {
    await server?.close();
    dir.remove();
  });

  const httpsRequest = (path: string, method = 'GET', body?: object) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
      (resolve, reject) => {
        const req = https.request(
          {
            host: '127.0.0.1',
            port: server.port,
            path,
            method,
            rejectUnauthorized: false,
            headers: body ? { 'content-type': 'application/json' } : {},
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body ? JSON.stringify(body) : undefined);
      },
    );

  it('should serve the SPA over https with HSTS', async () => {
    const response = await httpsRequest('/');
    expect(response.status).toBe(200);
    expect(response.body).toContain('<div id="root">');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
  });

  it('should set the session cookie Secure', async () => {
    const response = await httpsRequest('/api/auth/guest', 'POST', { name: 'Tls' });
    expect(response.status).toBe(200);
    expect(String(response.headers['set-cookie'])).toContain('Secure');
  });

  it('should speak wss on the same port', async () => {
    const socket = new WebSocket(`wss://127.0.0.1:${server.port}/ws?name=Tls`, ['chat.v1'], {
      rejectUnauthorized: false,
    });
    const first = await new Promise<string>((resolve, reject) => {
      socket.once('message', (raw) => resolve(raw.toString()));
      socket.once('error', reject);
    });
    expect(JSON.parse(first)).toMatchObject({ event: 'welcome', data: { user: { name: 'Tls' } } });
    socket.close();
  });

  it('should not speak plain http on the TLS port', async () => {
    await expect(request(`http://127.0.0.1:${server.port}`).get('/')).rejects.toThrow();
  });
});
