import { afterEach, describe, expect, it } from '@jest/globals';
import { Bystander, describeBystander } from './utils/bystander.js';
import { startServerProcess, type ServerProcess } from './utils/server-process.js';
import { getFrom, openHalfUpgrade, openSlowBody, sample, type HalfOpenSocket } from './utils/raw-http.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

/** Another client IP on Linux loopback: the bystander is not the attacker. */
const BYSTANDER_IP = '127.0.0.2';

describe('admission before the upgrade', () => {
  let server: TestApp | undefined;
  const clients: TestClient[] = [];
  const raw: HalfOpenSocket[] = [];

  afterEach(async () => {
    for (const half of raw.splice(0)) half.socket.destroy();
    await closeAll(clients.splice(0));
    await server?.close();
    server = undefined;
  });

  const openHalf = async (count: number) => {
    const opened: HalfOpenSocket[] = [];
    for (let i = 0; i < count; i++) opened.push(await openHalfUpgrade(server!.port));
    raw.push(...opened);
    return opened;
  };
  /** The bystander chats from its own address: a message sent, acknowledged and delivered. */
  const bystanderChats = async () => {
    const client = await TestClient.joined(server!.wsUrl, 'general', {
      name: 'Other',
      localAddress: BYSTANDER_IP,
    });
    clients.push(client);
    client.send('send', { room: 'general', text: 'still here', clientId: `by-${clients.length}` });
    await client.next('ack');
    await client.next('message');
    expect((await getFrom(`${server!.baseUrl}/healthz`, BYSTANDER_IP)).status).toBe(200);
  };

  describe('connections per IP, counted at accept (MAX_CONNECTIONS_PER_IP)', () => {
    it('should refuse half-open sockets past the limit at once, before any header, and keep serving others', async () => {
      // The default limit (1,000) and the 1,500 sockets; the deadline far away, so that
      // here only the per-IP limit closes sockets.
      server = await startApp({ HEADERS_TIMEOUT_MS: '60000' });
      const bystander = await Bystander.start(server.wsUrl, 50, { localAddress: BYSTANDER_IP });
      const halves = await openHalf(1500);
      let closed = 0;
      await new Promise<void>((resolve) => {
        for (const half of halves)
          void half.closed.then(() => {
            if (++closed === 500) resolve();
          });
      });
      const refused = halves.filter((half) => half.socket.destroyed);
      expect(refused).toHaveLength(500);
      // Told why, unless too many refusals were lingering at once (then just cut).
      for (const half of refused)
        expect(half.received()).toMatch(/^$|^HTTP\/1\.1 429 .*too many connections/s);
      expect(refused.filter((half) => half.received() !== '').length).toBeGreaterThan(0);
      // The attacker's address gets no WebSocket either, while the others still do.
      await expect(TestClient.connect(server.wsUrl)).rejects.toThrow(/HTTP 429|ECONNRESET|socket hang up/);
      await bystanderChats();
      const metrics = (await getFrom(`${server.baseUrl}/metrics`, BYSTANDER_IP)).body;
      expect(sample(metrics, 'chat_refused_total{reason="per_ip"}')).toBe(501);
      expect(halves.filter((half) => !half.socket.destroyed)).toHaveLength(1000);

      const report = await bystander.stop();
      console.log(describeBystander('1,500 half-open upgrades from one IP (limit 1,000)', report));
      expect(report.unanswered).toBe(0);
    });
  });

  describe('with only 1,024 file descriptors', () => {
    let child: ServerProcess | undefined;
    afterEach(async () => {
      for (const half of raw.splice(0)) half.socket.destroy();
      await closeAll(clients.splice(0));
      await child?.kill('SIGKILL');
      child = undefined;
    });

    it('should hold 1,500 half-open upgrades from one IP off without starving anyone else', async () => {
      child = await startServerProcess({ HEADERS_TIMEOUT_MS: '60000' }, undefined, {
        fileDescriptorLimit: 1024,
      });
      // Said at start-up, with the fix.
      const warned = /file descriptor limit .* 1024.*ulimit -n/;
      await new Promise<void>((resolve) => {
        const check = () => warned.test(child!.output()) && resolve();
        child!.child.stdout?.on('data', check);
        child!.child.stderr?.on('data', check);
        check();
      });
      const bystander = await Bystander.start(child.wsUrl, 50, { localAddress: BYSTANDER_IP });
      const halves: HalfOpenSocket[] = [];
      for (let i = 0; i < 1500; i++) halves.push(await openHalfUpgrade(child.port));
      raw.push(...halves);
      // Not one more than the address's share stays open, whatever the server's limit said.
      const held = await new Promise<number>((resolve) => {
        let closed = 0;
        const tally = () => {
          const open = halves.length - closed;
          if (open <= 1024 - 64 - 128) resolve(open);
        };
        for (const half of halves) void half.closed.then(() => (closed++, tally()));
        tally();
      });
      expect(held).toBeGreaterThan(0);
      const client = await TestClient.joined(child.wsUrl, 'general', {
        name: 'Other',
        localAddress: BYSTANDER_IP,
      });
      clients.push(client);
      client.send('send', { room: 'general', text: 'still here', clientId: 'fd-1' });
      await client.next('ack');
      expect((await getFrom(`${child.baseUrl}/healthz`, BYSTANDER_IP)).status).toBe(200);

      const report = await bystander.stop();
      console.log(describeBystander('1,500 half-open upgrades from one IP, 1,024 descriptors', report));
      expect(report.unanswered).toBe(0);
    });

    it('should keep the headroom for /healthz while 1,200 unfinished headers come from three addresses', async () => {
      // The deadline far away: only the cap on unfinished connections per address protects.
      child = await startServerProcess({ HEADERS_TIMEOUT_MS: '60000' }, undefined, {
        fileDescriptorLimit: 1024,
      });
      const bystander = await Bystander.start(child.wsUrl, 50, { localAddress: BYSTANDER_IP });
      const halves: HalfOpenSocket[] = [];
      for (let i = 0; i < 1200; i++)
        halves.push(await openHalfUpgrade(child.port, `127.0.0.${20 + (i % 3)}`));
      raw.push(...halves);
      expect((await getFrom(`${child.baseUrl}/healthz`, BYSTANDER_IP)).status).toBe(200);
      const client = await TestClient.joined(child.wsUrl, 'general', {
        name: 'Other',
        localAddress: '127.0.0.3',
      });
      clients.push(client);
      client.send('send', { room: 'general', text: 'still here', clientId: 'hdr-1' });
      await client.next('ack');

      const report = await bystander.stop();
      console.log(describeBystander('1,200 unfinished headers from 3 IPs, 1,024 descriptors', report));
      expect(report.unanswered).toBe(0);
    });

    it('should keep the headroom for /healthz and new WebSockets while 1,000 slow request bodies come from three addresses', async () => {
      child = await startServerProcess({ REQUEST_TIMEOUT_MS: '3000' }, undefined, {
        fileDescriptorLimit: 1024,
      });
      const bystander = await Bystander.start(child.wsUrl, 50, { localAddress: BYSTANDER_IP });
      // Complete headers for a 100,000-byte login, then a byte a second (the red team's slowbody).
      const slow: HalfOpenSocket[] = [];
      for (let i = 0; i < 1000; i++) {
        slow.push(await openSlowBody(child.port, `127.0.0.${20 + (i % 3)}`));
      }
      raw.push(...slow);
      expect((await getFrom(`${child.baseUrl}/healthz`, BYSTANDER_IP)).status).toBe(200);
      const client = await TestClient.joined(child.wsUrl, 'general', {
        name: 'Other',
        localAddress: '127.0.0.3',
      });
      clients.push(client);
      client.send('send', { room: 'general', text: 'still here', clientId: 'slow-1' });
      await client.next('ack');
      // Each address holds only its small share; the server cuts those at the body deadline.
      await Promise.all(slow.map((half) => half.closed));
      const metrics = (await getFrom(`${child.baseUrl}/metrics`, '127.0.0.1')).body;
      expect(sample(metrics, 'chat_refused_total{reason="unfinished"}')).toBeGreaterThan(0);
      expect(sample(metrics, 'chat_refused_total{reason="request_timeout"}')).toBeGreaterThan(0);
      expect((await getFrom(`${child.baseUrl}/healthz`, BYSTANDER_IP)).status).toBe(200);

      const report = await bystander.stop();
      console.log(describeBystander('1,000 slow request bodies from 3 IPs, 1,024 descriptors', report));
      expect(report.unanswered).toBe(0);
    });
  });

  describe('headers deadline (HEADERS_TIMEOUT_MS)', () => {
    it('should close sockets that never finish their upgrade request, without answering them', async () => {
      server = await startApp({ HEADERS_TIMEOUT_MS: '1500' });
      const bystander = await Bystander.start(server.wsUrl, 50, { localAddress: BYSTANDER_IP });
      const halves = await openHalf(50);
      await bystanderChats();
      // The server hangs up on every one of them by itself (the test never closes them).
      await Promise.all(halves.map((half) => half.closed));
      for (const half of halves) expect(half.received()).toBe('');
      await bystanderChats();

      const report = await bystander.stop();
      console.log(describeBystander('50 half-open upgrades held until the headers deadline', report));
      expect(report.unanswered).toBe(0);
    });
  });

  describe('connections per instance (MAX_CONNECTIONS)', () => {
    it('should refuse upgrades past the cap with HTTP 503 while /healthz still answers', async () => {
      server = await startApp({ MAX_CONNECTIONS: '3' });
      // Three addresses: the per-IP limit (never above the instance's) is not what refuses here.
      for (const localAddress of ['127.0.0.3', '127.0.0.4', '127.0.0.5']) {
        clients.push(await TestClient.connect(server.wsUrl, { localAddress }));
      }
      await expect(TestClient.connect(server.wsUrl)).rejects.toThrow('HTTP 503');
      await expect(TestClient.connect(server.wsUrl, { localAddress: BYSTANDER_IP })).rejects.toThrow(
        'HTTP 503',
      );
      expect((await getFrom(`${server.baseUrl}/healthz`, BYSTANDER_IP)).status).toBe(200);
      expect((await getFrom(`${server.baseUrl}/healthz`, '127.0.0.1')).status).toBe(200);

      // A slot frees once a connection's socket is gone on the server's side too.
      await clients.shift()!.close();
      let next: TestClient | undefined;
      while (!next) next = await TestClient.connect(server.wsUrl).catch(() => undefined);
      clients.push(next);
      await next.next('welcome');
    });
  });
});
