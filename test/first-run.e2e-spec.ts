import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startServerProcess, type ServerProcess } from './utils/server-process.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';

async function waitForOutput(server: ServerProcess, text: string): Promise<void> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    if (server.output().includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the server never printed "${text}":\n${server.output()}`);
}

const printedLines = (server: ServerProcess) =>
  server
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '');

describe('the first start', () => {
  it('should print one line, with the URL, at the default log level', async () => {
    const dataDir = createTempDir();
    const server = await startServerProcess({
      DATA_DIR: dataDir.path,
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
    });
    try {
      await waitForOutput(server, 'Chat is running at');
      const lines = printedLines(server);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`Chat is running at http://127.0.0.1:${server.port}`);
    } finally {
      await server.kill('SIGTERM');
      dataDir.remove();
    }
  });

  it("should still show Nest's start-up lines at debug", async () => {
    const dataDir = createTempDir();
    const server = await startServerProcess({
      DATA_DIR: dataDir.path,
      LOG_LEVEL: 'debug',
      NODE_ENV: 'production',
    });
    try {
      await waitForOutput(server, 'Chat is running at');
      const lines = printedLines(server).map(
        (line) => JSON.parse(line) as { level: number; context?: string },
      );
      const boot = lines.filter((line) => line.context === 'InstanceLoader');
      expect(boot.length).toBeGreaterThan(0);
      // pino's debug level: 20.
      expect(boot.every((line) => line.level === 20)).toBe(true);
      expect(lines.some((line) => line.context === 'Storage')).toBe(true);
    } finally {
      await server.kill('SIGTERM');
      dataDir.remove();
    }
  });
});

describe('WEB_APP_URL (npm run dev)', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startApp({ WEB_APP_URL: 'http://localhost:5173' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('should send a browser at / to the web app instead of serving a build', async () => {
    const response = await request(server.baseUrl).get('/');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('http://localhost:5173/');
  });

  it('should keep the path and query of a deep link', async () => {
    const response = await request(server.baseUrl).get('/rooms/general?x=1');
    expect(response.headers.location).toBe('http://localhost:5173/rooms/general?x=1');
  });

  it('should never redirect to another host, whatever the path says', async () => {
    const response = await request(server.baseUrl).get('//evil.example/x');
    expect(response.status).toBe(302);
    expect(new URL(response.headers.location as string).host).toBe('localhost:5173');
  });

  it('should answer the API and the probes itself', async () => {
    expect((await request(server.baseUrl).get('/api/me')).status).toBe(401);
    expect((await request(server.baseUrl).get('/healthz')).status).toBe(200);
  });
});
