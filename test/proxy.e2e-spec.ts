import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { TEST_PASSWORD, uniqueUsername } from './utils/accounts.js';
import { Bystander, describeBystander } from './utils/bystander.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

/**
 * The test plays a reverse proxy on 127.0.0.1 that appends the real client's address to
 * X-Forwarded-For; what stands left of it was written by the client and must not count.
 */
describe('behind a proxy (TRUST_PROXY)', () => {
  let server: TestApp | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await closeAll(clients.splice(0));
    await server?.close();
    server = undefined;
  });

  /** Upgrade outcomes for `count` sockets whose X-Forwarded-For the client forged on the left. */
  const connectForged = async (count: number, forwardedFor: (i: number) => string) => {
    const outcomes: string[] = [];
    for (let i = 0; i < count; i++) {
      try {
        const client = await TestClient.connect(server!.wsUrl, {
          headers: { 'X-Forwarded-For': forwardedFor(i) },
        });
        clients.push(client);
        outcomes.push('open');
      } catch (error) {
        outcomes.push((error as Error).message);
      }
    }
    return outcomes;
  };
  const loginStatuses = async (count: number, forwardedFor: (i: number) => string) => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      const response = await request(server!.baseUrl)
        .post('/api/auth/login')
        .set('X-Forwarded-For', forwardedFor(i))
        .send({ username: uniqueUsername('nobody'), password: TEST_PASSWORD });
      statuses.push(response.status);
    }
    return statuses;
  };
  const forged = (client: string) => (i: number) => `10.9.${i % 250}.${i % 7}, ${client}`;

  for (const trust of ['1', 'true']) {
    it(`should count the right-most address with TRUST_PROXY=${trust}, whatever the client wrote before it`, async () => {
      server = await startApp({ TRUST_PROXY: trust, LOGIN_LIMIT_PER_IP: '30', MAX_CONNECTIONS_PER_IP: '5' });
      const bystander = await Bystander.start(server.wsUrl);

      const statuses = await loginStatuses(40, forged('203.0.113.7'));
      expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
      expect(statuses.slice(30)).toEqual(Array(10).fill(429));
      const outcomes = await connectForged(20, forged('203.0.113.8'));
      expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('open'));
      expect(outcomes.slice(5)).toEqual(Array(15).fill('upgrade refused: HTTP 429'));
      // Another real client behind the same proxy is not affected.
      expect((await connectForged(1, () => '203.0.113.9'))[0]).toBe('open');

      const report = await bystander.stop();
      console.log(
        describeBystander(
          `40 sign-ins and 20 sockets with forged X-Forwarded-For (TRUST_PROXY=${trust})`,
          report,
        ),
      );
      expect(report.unanswered).toBe(0);
    });
  }

  it('should count one client once however its address is spelled, and an IPv6 /64 as one client', async () => {
    server = await startApp({ TRUST_PROXY: '1', LOGIN_LIMIT_PER_IP: '30', MAX_CONNECTIONS_PER_IP: '5' });
    const bystander = await Bystander.start(server.wsUrl);
    const spellings: Record<string, (i: number) => string> = {
      'one /64': (i) => `2001:db8:1:2::${(i + 1).toString(16)}`,
      'IPv4 with ports': (i) => `5.5.5.2:${1000 + i}`,
      'IPv4-mapped and plain': (i) => (i % 2 === 0 ? '::ffff:5.5.5.3' : '5.5.5.3'),
      'bracketed, expanded and compressed': (i) =>
        ['[2001:db8:7::1]:443', '2001:0db8:0007:0000:0000:0000:0000:0001', '2001:DB8:7::1'][i % 3]!,
    };
    for (const [name, spelling] of Object.entries(spellings)) {
      const statuses = await loginStatuses(40, spelling);
      expect({ name, statuses }).toEqual({
        name,
        statuses: [...Array<number>(30).fill(401), ...Array<number>(10).fill(429)],
      });
    }
    const outcomes = await connectForged(8, (i) => `2001:db8:5:6::${i + 1}`);
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('open'));
    expect(outcomes.slice(5)).toEqual(Array(3).fill('upgrade refused: HTTP 429'));

    const report = await bystander.stop();
    console.log(describeBystander('160 sign-ins and 8 sockets, one client spelled many ways', report));
    expect(report.unanswered).toBe(0);
  });

  it('should walk past every listed proxy and stop at the first address that is not one', async () => {
    server = await startApp({ TRUST_PROXY: 'loopback,10.0.0.0/8', MAX_CONNECTIONS_PER_IP: '2' });
    // Client 198.51.100.9 -> proxy 10.1.2.3 -> proxy on loopback -> us.
    const outcomes = await connectForged(4, (i) => `192.0.2.${i}, 198.51.100.9, 10.1.2.3`);
    expect(outcomes).toEqual(['open', 'open', 'upgrade refused: HTTP 429', 'upgrade refused: HTTP 429']);
  });

  it('should ignore X-Forwarded-For from a peer that is not a listed proxy', async () => {
    server = await startApp({ TRUST_PROXY: '10.0.0.0/8', MAX_CONNECTIONS_PER_IP: '2' });
    const outcomes = await connectForged(3, (i) => `198.51.100.${i}`);
    expect(outcomes).toEqual(['open', 'open', 'upgrade refused: HTTP 429']);
  });

  it('should count sign-ins by the peer when it is not a listed proxy', async () => {
    server = await startApp({ TRUST_PROXY: '10.0.0.0/8', LOGIN_LIMIT_PER_IP: '3' });
    expect(await loginStatuses(4, (i) => `198.51.100.${i}`)).toEqual([401, 401, 401, 429]);
  });

  it('should refuse a TRUST_PROXY that is neither a count, a boolean nor a list of addresses', async () => {
    await expect(startApp({ TRUST_PROXY: '10.0.0.0/33' })).rejects.toThrow(
      /Invalid TRUST_PROXY="10.0.0.0\/33": .*not an address or CIDR.*Fix: use false/,
    );
  });
});
