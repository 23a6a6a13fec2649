import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import {
  browserAvailability,
  launchBrowser,
  messageTexts,
  screenshot,
  sendMessage,
  signInAsGuest,
} from '../utils/browser.js';
import { startCluster, type Cluster } from '../utils/cluster.js';
import { FailoverProxy } from '../utils/failover-proxy.js';
import { postgresAvailability } from '../utils/postgres.js';
import { redisServerAvailability, startOwnRedis, type OwnRedis } from '../utils/redis.js';
import { describeWithService } from '../utils/services.js';

const needs = [browserAvailability(), await postgresAvailability(), redisServerAvailability()];
const services = {
  available: needs.every((need) => need.available),
  reason: needs.map((need) => need.reason).join(' and '),
};

describeWithService(
  'in the browser: two instances, a Redis restart, then an instance killed',
  services,
  () => {
    let redis: OwnRedis;
    let cluster: Cluster;
    let balancer: FailoverProxy;
    let browser: Browser;

    beforeAll(async () => {
      redis = await startOwnRedis();
      // Ann's way in prefers instance A and falls back to B; Ben talks to B directly. Her pages
      // come from the balancer's origin, which the instances must allow, as in a deployment.
      balancer = new FailoverProxy([]);
      await balancer.start();
      cluster = await startCluster(redis.url, 2, { ALLOWED_ORIGINS: `http://127.0.0.1:${balancer.port}` });
      balancer.route(cluster.servers.map((server) => server.port));
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await balancer?.stop();
      await cluster?.stop();
      await redis?.stop();
    });

    const sees = (page: Page, text: string) => page.getByText(text).waitFor({ timeout: 15_000 });

    it('should keep one conversation going on both pages, with nothing lost or doubled', async () => {
      const [a, b] = cluster.servers as [(typeof cluster.servers)[0], (typeof cluster.servers)[0]];
      const ann = await (await browser.newContext()).newPage();
      const ben = await (await browser.newContext()).newPage();
      await signInAsGuest(ann, `http://127.0.0.1:${balancer.port}`, 'Ann');
      await signInAsGuest(ben, b.baseUrl, 'Ben');

      await sendMessage(ann, 'hello from A');
      await sees(ben, 'hello from A');
      await sendMessage(ben, 'hello from B');
      await sees(ann, 'hello from B');

      // Redis restarts mid-conversation: both keep talking, and each sees the other's words once
      // the instances have resubscribed by themselves.
      await redis.stop();
      await sendMessage(ann, 'A while Redis is down');
      await sendMessage(ben, 'B while Redis is down');
      await sees(ann, 'A while Redis is down');
      await sees(ben, 'B while Redis is down');
      await redis.start();
      await sees(ann, 'B while Redis is down');
      await sees(ben, 'A while Redis is down');
      await screenshot(ann, 'cluster-after-redis-restart');

      // Ann's instance is killed. Her page reconnects through the balancer to B, and what she
      // wrote meanwhile goes out from her outbox.
      await a.kill('SIGKILL');
      await ann.locator('.connection--reconnecting').waitFor();
      await sendMessage(ann, 'A after its instance died');
      await ann.locator('.connection--open').waitFor({ timeout: 20_000 });
      await sees(ben, 'A after its instance died');
      await sendMessage(ben, 'B still here');
      await sees(ann, 'B still here');
      await screenshot(ann, 'cluster-ann-after-kill');
      await screenshot(ben, 'cluster-ben-after-kill');

      const expected = [
        'hello from A',
        'hello from B',
        'A while Redis is down',
        'B while Redis is down',
        'A after its instance died',
        'B still here',
      ];
      const annTexts = await messageTexts(ann);
      expect(annTexts).toEqual(expected);
      expect(await messageTexts(ben)).toEqual(annTexts);
    });
  },
);
