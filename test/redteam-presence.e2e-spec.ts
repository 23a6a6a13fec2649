import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { register } from './utils/accounts.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const READS = 5;

describe('red team: presence.list floods', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startApp({ ...NO_RATE_LIMITS, READS_PER_MINUTE_PER_USER: String(READS) });
  });
  afterAll(async () => {
    await server?.close();
  });

  // Each page sorts and scans the room's whole online list (a big room's changes drop the sorted
  // copy): unmetered, one connection could keep an instance busy sorting 10,000 names.
  it('should count presence.list against the read quota, like history', async () => {
    const alice = await register(server.baseUrl);
    const client = await TestClient.joined(server.wsUrl, 'general', { token: alice.token });
    try {
      for (let i = 0; i < READS + 2; i++) client.send('presence.list', { room: 'general', q: 'nobody' });
      const refusal = await client.next('error', (e) => e.code === 'rate_limited');
      expect(refusal).toMatchObject({ code: 'rate_limited', event: 'presence.list' });
    } finally {
      await closeAll([client]);
    }
  });
});
