import { afterEach, describe, expect, it } from '@jest/globals';
import type { PresenceDiff } from '@chat/contracts';
import WebSocket from 'ws';
import { guest } from './utils/accounts.js';
import { Bystander, describeBystander } from './utils/bystander.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

/** Issue 12, item 8: limits a client can read, follow, and never be cut off for following. */
describe('flow control a client can follow', () => {
  let server: TestApp | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await closeAll(clients.splice(0));
    await server?.close();
    server = undefined;
  });

  const joined = async (name: string, options = {}) => {
    const client = await TestClient.joined(server!.wsUrl, 'general', { name, ...options });
    clients.push(client);
    return client;
  };

  describe('welcome.limits', () => {
    it('should publish every limit the server enforces', async () => {
      server = await startApp({ FRAME_RATE_PER_SEC: '40', FRAME_BURST: '80', SEND_RATE_PER_SEC: '7' });
      const client = await TestClient.connect(server.wsUrl);
      clients.push(client);
      const { limits } = await client.next('welcome');
      // toMatchObject: limits added later (others' features) do not make this fail.
      expect(limits).toMatchObject({
        maxTextLength: 4000,
        maxFrameBytes: 65536,
        maxServerFrameBytes: 263168,
        sendRatePerSec: 7,
        sendBurst: 20,
        frameRatePerSec: 40,
        frameBurst: 80,
        maxUnackedSends: 256,
        maxRoomsPerConnection: 50,
        heartbeatMs: 25000,
        maxQueuedBytes: 1048576,
        maxPageBytes: 262144,
        quotas: {
          sendsPerMinutePerUser: 300,
          sendsPerMinutePerIp: 1200,
          roomsPerHourPerUser: 30,
          roomsPerHourPerIp: 100,
          readsPerMinutePerUser: 600,
          readsPerMinutePerIp: 1200,
        },
      });
    });
  });

  describe('rates: slowed down, never refused', () => {
    it('should answer 150 pings written at once, in order, even when they land after an event-loop stall', async () => {
      server = await startApp({});
      const client = await joined('Burst');
      for (let i = 0; i < 150; i++) client.send('ping', { t: i });
      // The server (in this process) cannot read while the loop is blocked: all 150 arrive together.
      const until = Date.now() + 300;
      while (Date.now() < until);
      const pongs = await client.take('pong', 150, 10_000);
      expect(pongs.map((p) => p.t)).toEqual(Array.from({ length: 150 }, (_, i) => i));
      expect(client.pending('error')).toEqual([]);
    });

    it('should ack 60 pipelined sends without an error or a close (default limits)', async () => {
      server = await startApp({});
      const bystander = await Bystander.start(server.wsUrl);
      const client = await joined('Pipeline');
      for (let i = 0; i < 60; i++) client.send('send', { room: 'general', text: `m${i}`, clientId: `p${i}` });
      const acks = await client.take('ack', 60, 20_000);
      expect(acks.map((a) => a.clientId)).toEqual(Array.from({ length: 60 }, (_, i) => `p${i}`));
      expect(client.pending('error')).toEqual([]);
      expect(client.socket.readyState).toBe(WebSocket.OPEN);
      const report = await bystander.stop();
      console.log(describeBystander('60 pipelined sends over the send rate', report));
      expect(report.unanswered).toBe(0);
    });

    it('should take a full outbox resent at once after a reconnect: 256 sends, then the same again (idempotent)', async () => {
      server = await startApp({ SEND_RATE_PER_SEC: '200', SEND_BURST: '20', FRAME_RATE_PER_SEC: '1000' });
      const outbox = Array.from({ length: 256 }, (_, i) => ({
        room: 'general',
        text: `o${i}`,
        clientId: `o${i}`,
      }));
      const { token } = await guest(server.baseUrl, 'Outbox');
      const first = await joined('Outbox', { token });
      for (const send of outbox) first.send('send', send);
      const acks = await first.take('ack', 256, 20_000);
      await first.close();
      // The acks were "lost": the client resends everything after reconnecting, as protocol.md says.
      const again = await joined('Outbox', { token });
      for (const send of outbox) again.send('send', send);
      const reacks = await again.take('ack', 256, 20_000);
      expect(reacks.map((a) => a.seq)).toEqual(acks.map((a) => a.seq));
      expect(again.pending('error')).toEqual([]);
      expect(again.socket.readyState).toBe(WebSocket.OPEN);
    });

    it('should make sends past maxUnackedSends wait for acks instead of refusing them', async () => {
      server = await startApp({ ...NO_RATE_LIMITS });
      const client = await joined('Window');
      for (let i = 0; i < 600; i++)
        client.send('send', { room: 'general', text: `w${i}`, clientId: `w${i}` });
      const acks = await client.take('ack', 600, 20_000);
      expect(new Set(acks.map((a) => a.clientId)).size).toBe(600);
      expect(client.pending('error')).toEqual([]);
    });

    it('should slow a ping flood down to the frame rate without closing it, while others chat normally', async () => {
      server = await startApp({});
      const bystander = await Bystander.start(server.wsUrl);
      const flooder = await joined('Flooder');
      for (let i = 0; i < 20_000; i++) flooder.send('ping', { t: i });
      // It is being answered (the burst, then the rate), just not as fast as it writes.
      await flooder.next('pong', (p) => p.t === 149, 10_000);
      const other = await joined('Other');
      other.send('send', { room: 'general', text: 'hello', clientId: 'h' });
      await other.next('ack');
      expect(flooder.socket.readyState).toBe(WebSocket.OPEN);
      expect(flooder.pending('error')).toEqual([]);
      const report = await bystander.stop();
      console.log(describeBystander('a flood of 20,000 app pings written at once', report));
      expect(report.unanswered).toBe(0);
      flooder.socket.terminate();
    });
  });

  describe('join {since} beyond the room', () => {
    it('should tell the client to reset when since is past lastSeq, with the latest page', async () => {
      server = await startApp({});
      const writer = await joined('Writer');
      for (let i = 0; i < 3; i++) writer.send('send', { room: 'general', text: `n${i}`, clientId: `n${i}` });
      await writer.take('ack', 3);
      const client = await TestClient.connect(server.wsUrl, { name: 'Returning' });
      clients.push(client);
      await client.next('welcome');
      // This client saw seq 900 of a previous database.
      client.send('join', { room: 'general', since: 900 });
      const reset = await client.next('joined');
      expect(reset).toMatchObject({ room: 'general', lastSeq: 3, reset: true, hasMore: false });
      expect(reset.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
      // Live messages follow the reset page as after any join.
      writer.send('send', { room: 'general', text: 'after', clientId: 'after' });
      expect((await client.next('message')).seq).toBe(4);
      // An ordinary resume says nothing of a reset.
      client.send('join', { room: 'general', since: 2 });
      const resumed = await client.next('joined');
      expect(resumed.reset).toBeUndefined();
      expect(resumed.messages.map((m) => m.seq)).toEqual([3, 4]);
    });
  });

  describe('/nick with two tabs of one guest', () => {
    it('should rename the guest in every tab, show it once in presence, and keep it while a tab is open', async () => {
      server = await startApp({});
      const { token } = await guest(server.baseUrl, 'Alice');
      const observer = await joined('Observer');
      const tabA = await joined('ignored', { token });
      const tabB = await joined('ignored', { token });
      await observer.next('presence.diff', (d: PresenceDiff) => d.joined.some((u) => u.name === 'Alice'));

      tabA.send('send', { room: 'general', text: '/nick Zoe', clientId: 'nick' });
      expect((await tabA.next('notice')).text).toContain('Zoe');
      const renamed = await observer.next('presence.diff', (d) => d.joined.some((u) => u.name === 'Zoe'));
      expect(renamed.left.map((u) => u.name)).toEqual(['Alice']);

      // The other tab is told, and goes by the new name too.
      expect((await tabB.next('notice')).text).toBe('you are now Zoe');
      tabB.send('send', { room: 'general', text: 'from B', clientId: 'from-b' });
      expect((await observer.next('message', (m) => m.clientId === 'from-b')).user.name).toBe('Zoe');

      // A new tab of the same guest, opened after the rename: Zoe from its welcome on.
      const tabC = await TestClient.connect(server.wsUrl, { token });
      clients.push(tabC);
      expect((await tabC.next('welcome')).user.name).toBe('Zoe');
      tabC.send('join', { room: 'general' });
      await tabC.next('joined');
      tabC.send('send', { room: 'general', text: 'from C', clientId: 'from-c' });
      expect((await observer.next('message', (m) => m.clientId === 'from-c')).user.name).toBe('Zoe');
      expect(
        (observer.pending('presence.diff') as PresenceDiff[]).flatMap((d) => d.joined.map((u) => u.name)),
      ).not.toContain('Alice');
      await tabC.close();

      // One tab closes: Zoe is still here (tab B), and there is no ghost Alice.
      await tabA.close();
      const late = await joined('Late');
      const { users } = await late.next('presence');
      expect(users.map((u) => u.name).sort()).toEqual(['Late', 'Observer', 'Zoe']);

      // The last tab closes: Zoe leaves.
      await tabB.close();
      const left = await observer.next('presence.diff', (d) => d.left.length > 0);
      expect(left.left.map((u) => u.name)).toEqual(['Zoe']);
    });
  });
});
