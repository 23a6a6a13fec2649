import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { User } from '@chat/contracts';
import type { ApiKeyStore, StoredApiKey } from '../api-key-store.js';
import type { IdempotencyStore } from '../idempotency-store.js';
import type { MessageStore } from '../message-store.js';
import type { RoomStore } from '../room-store.js';
import type { NewDeadLetter, StoredWebhookEndpoint, WebhookStore } from '../webhook-store.js';

const alice: User = { id: 'u-alice', name: 'alice', guest: false };

/** The stores of one fresh, empty database (general as the migrations leave it). */
export interface ServicesStores {
  apiKeys: ApiKeyStore;
  idempotency: IdempotencyStore;
  webhooks: WebhookStore;
  messages: MessageStore;
  rooms: RoomStore;
  close(): Promise<void>;
}

const key = (name: string, at = '2026-12-01T10:00:00.000Z'): StoredApiKey => ({
  id: `key_${name}`,
  name,
  hint: 'abcd',
  scopes: ['messages:write', 'rooms:manage'],
  botUserId: `bot:${name}`,
  botName: `${name}-bot`,
  createdAt: at,
  revokedAt: null,
});

const endpoint = (id: string): StoredWebhookEndpoint => ({
  id,
  url: `https://hooks.example.com/${id}`,
  secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0',
  events: ['message.created', 'member'],
  enabled: true,
  createdAt: '2026-12-01T10:00:00.000Z',
});

const letter = (seq: number): NewDeadLetter => ({
  id: `dl_${seq}`,
  seq,
  webhookId: `msg_${seq}`,
  type: 'message.created',
  body: `{"seq":${seq}}`,
  attempts: 3,
  lastError: 'answered 500',
});

/** The behaviour every ApiKeyStore, IdempotencyStore and WebhookStore must have. */
export function describeServicesStoreContract(name: string, open: () => Promise<ServicesStores>): void {
  describe(`${name} (services stores contract)`, () => {
    let s: ServicesStores;
    const post = (text: string, room = 'general') =>
      s.messages.append({ room, user: alice, text, clientId: `${room}-${text}` });

    beforeEach(async () => {
      s = await open();
    });
    afterEach(async () => {
      await s.close();
    });

    describe('ApiKeyStore', () => {
      it('should find a key by its hash, list keys oldest first, and refuse a taken name', async () => {
        expect(await s.apiKeys.create(key('b', '2026-12-01T10:00:02.000Z'), 'hash-b')).toBe('created');
        expect(await s.apiKeys.create(key('a', '2026-12-01T10:00:01.000Z'), 'hash-a')).toBe('created');
        expect(await s.apiKeys.create({ ...key('a'), id: 'key_other' }, 'hash-other')).toBe('taken');
        expect(await s.apiKeys.findByHash('hash-a')).toEqual(key('a', '2026-12-01T10:00:01.000Z'));
        expect(await s.apiKeys.findByHash('hash-unknown')).toBeNull();
        expect((await s.apiKeys.list()).map((k) => k.name)).toEqual(['a', 'b']);
      });

      it('should revoke by id or name, once, and keep the revoked key findable', async () => {
        await s.apiKeys.create(key('ci'), 'hash-ci');
        const revoked = await s.apiKeys.revoke('ci', '2026-12-01T11:00:00.000Z');
        expect(revoked?.revokedAt).toBe('2026-12-01T11:00:00.000Z');
        // A second revoke keeps the first time.
        expect((await s.apiKeys.revoke('key_ci', '2026-12-01T12:00:00.000Z'))?.revokedAt).toBe(
          '2026-12-01T11:00:00.000Z',
        );
        expect((await s.apiKeys.findByHash('hash-ci'))?.revokedAt).toBe('2026-12-01T11:00:00.000Z');
        expect(await s.apiKeys.revoke('nobody', '2026-12-01T11:00:00.000Z')).toBeNull();
      });
    });

    describe('IdempotencyStore', () => {
      const now = '2026-12-01T10:00:00.000Z';
      const later = { now: '2026-12-01T10:01:00.000Z', freeBefore: '2026-12-01T09:51:00.000Z' };

      it('should bind a key to its first fingerprint, per user', async () => {
        expect(await s.idempotency.claim('u1', 'k', 'f1', { now })).toEqual({ status: 'new' });
        expect(await s.idempotency.claim('u1', 'k', 'f1', { now })).toEqual({ status: 'same' });
        expect(await s.idempotency.claim('u1', 'k', 'f2', { now })).toEqual({
          status: 'conflict',
          inFlight: true,
        });
        expect(await s.idempotency.claim('u2', 'k', 'f2', { now })).toEqual({ status: 'new' });
        await s.idempotency.settle('u1', 'k', 'f1', { stored: true });
        expect(await s.idempotency.claim('u1', 'k', 'f2', later)).toEqual({
          status: 'conflict',
          inFlight: false,
        });
        expect(await s.idempotency.claim('u1', 'k', 'f1', later)).toEqual({ status: 'same' });
      });

      it('should free a key once every holder of a pending binding released it', async () => {
        await s.idempotency.claim('u1', 'k', 'f1', { now });
        await s.idempotency.claim('u1', 'k', 'f1', { now });
        await s.idempotency.release('u1', 'k', 'f1');
        // One identical request still runs: it may yet store its message.
        expect(await s.idempotency.claim('u1', 'k', 'f2', later)).toEqual({
          status: 'conflict',
          inFlight: true,
        });
        await s.idempotency.release('u1', 'k', 'f1');
        // Released twice more than held changes nothing.
        await s.idempotency.release('u1', 'k', 'f1');
        expect(await s.idempotency.claim('u1', 'k', 'f2', later)).toEqual({ status: 'new' });
        expect(await s.idempotency.claim('u1', 'k', 'f1', later)).toEqual({
          status: 'conflict',
          inFlight: true,
        });
      });

      it('should take over a free key only when asked to (freeBefore)', async () => {
        await s.idempotency.claim('u1', 'k', 'f1', { now });
        await s.idempotency.release('u1', 'k', 'f1');
        // A key naming a stored message is claimed without freeBefore: the old body keeps it.
        expect(await s.idempotency.claim('u1', 'k', 'f2', { now })).toEqual({
          status: 'conflict',
          inFlight: true,
        });
        expect(await s.idempotency.claim('u1', 'k', 'f1', { now })).toEqual({ status: 'new' });
      });

      it('should treat a pending binding claimed before freeBefore as abandoned', async () => {
        expect(await s.idempotency.claim('u1', 'k', 'f1', { now: '2026-12-01T09:00:00.000Z' })).toEqual({
          status: 'new',
        });
        expect(await s.idempotency.claim('u1', 'k', 'f2', later)).toEqual({ status: 'new' });
        await s.idempotency.settle('u1', 'k', 'f2', { stored: true });
        // A settled binding is never abandoned, however old.
        const muchLater = { now: '2026-12-02T10:00:00.000Z', freeBefore: '2026-12-02T09:50:00.000Z' };
        expect(await s.idempotency.claim('u1', 'k', 'f3', muchLater)).toEqual({
          status: 'conflict',
          inFlight: false,
        });
      });

      it('should keep the replies of a swallowed body, and let a stored message win over them', async () => {
        await s.idempotency.claim('u1', 'cmd', 'f1', { now });
        await s.idempotency.settle('u1', 'cmd', 'f1', { stored: false, replies: ['rolled 4', 'ok'] });
        expect(await s.idempotency.claim('u1', 'cmd', 'f1', later)).toEqual({
          status: 'same',
          replies: ['rolled 4', 'ok'],
        });
        await s.idempotency.release('u1', 'cmd', 'f1');
        expect(await s.idempotency.claim('u1', 'cmd', 'f2', later)).toEqual({
          status: 'conflict',
          inFlight: false,
        });

        await s.idempotency.claim('u1', 'msg', 'f1', { now });
        await s.idempotency.claim('u1', 'msg', 'f1', { now });
        await s.idempotency.settle('u1', 'msg', 'f1', { stored: true });
        await s.idempotency.settle('u1', 'msg', 'f1', { stored: false, replies: ['late'] });
        expect(await s.idempotency.claim('u1', 'msg', 'f1', later)).toEqual({ status: 'same' });
      });

      it('should count concurrent identical claims, each one holder', async () => {
        const claims = await Promise.all(
          Array.from({ length: 5 }, () => s.idempotency.claim('u1', 'k', 'f1', { now })),
        );
        expect(claims.filter((c) => c.status === 'new')).toHaveLength(1);
        expect(claims.filter((c) => c.status === 'same')).toHaveLength(4);
        for (let i = 0; i < 4; i++) await s.idempotency.release('u1', 'k', 'f1');
        expect(await s.idempotency.claim('u1', 'k', 'f2', later)).toEqual({
          status: 'conflict',
          inFlight: true,
        });
        await s.idempotency.release('u1', 'k', 'f1');
        expect(await s.idempotency.claim('u1', 'k', 'f2', later)).toEqual({ status: 'new' });
      });

      it('should let one of concurrent claims with different bodies hold the key', async () => {
        const claims = await Promise.all(
          ['f1', 'f2', 'f3', 'f4'].map((f) => s.idempotency.claim('u1', 'k', f, later)),
        );
        expect(claims.filter((c) => c.status === 'new')).toHaveLength(1);
        expect(claims.filter((c) => c.status === 'conflict')).toHaveLength(3);
      });
    });

    describe('WebhookStore', () => {
      it('should start an endpoint at each room end and claim only rooms with new entries', async () => {
        await post('before');
        await s.webhooks.addEndpoint(endpoint('wh1'));
        expect(await s.webhooks.claimCursors('me', 1000, 5000, 10)).toEqual([]);
        const stored = await post('after');
        const [claimed, ...rest] = await s.webhooks.claimCursors('me', 1000, 5000, 10);
        expect(rest).toEqual([]);
        expect(claimed).toMatchObject({
          room: 'general',
          seq: stored.message.seq - 1,
          lastSeq: stored.message.seq,
        });
        expect(claimed?.endpoint).toEqual(endpoint('wh1'));
      });

      it('should give rooms created later a cursor from their start', async () => {
        await s.webhooks.addEndpoint(endpoint('wh1'));
        await s.rooms.create('later', { kind: 'public', owner: alice });
        await post('first', 'later');
        const claimed = await s.webhooks.claimCursors('me', 1000, 5000, 10);
        expect(claimed.map((c) => [c.room, c.seq])).toEqual([['later', 0]]);
      });

      it('should lease a claim to one owner until it is released or runs out', async () => {
        await s.webhooks.addEndpoint(endpoint('wh1'));
        const { message } = await post('one');
        expect(await s.webhooks.claimCursors('a', 1000, 5000, 10)).toHaveLength(1);
        expect(await s.webhooks.claimCursors('b', 2000, 6000, 10)).toEqual([]);
        // Only the owner moves it.
        expect(await s.webhooks.advance('wh1', 'general', 'b', message.seq)).toBe(false);
        // After the lease, another owner may take it over.
        expect(await s.webhooks.claimCursors('b', 5000, 9000, 10)).toHaveLength(1);
        expect(await s.webhooks.advance('wh1', 'general', 'a', message.seq)).toBe(false);
        expect(await s.webhooks.advance('wh1', 'general', 'b', message.seq)).toBe(true);
        await s.webhooks.release('wh1', 'general', 'b');
        expect(await s.webhooks.claimCursors('c', 5001, 9000, 10)).toEqual([]);
      });

      it('should wait after a failure, then offer the same body again', async () => {
        await s.webhooks.addEndpoint(endpoint('wh1'));
        const { message } = await post('one');
        await s.webhooks.claimCursors('a', 1000, 5000, 10);
        await s.webhooks.failed('wh1', 'general', 'a', {
          attempts: 1,
          nextAttemptAt: 3000,
          pendingSeq: message.seq,
          pendingBody: '{"x":1}',
          error: 'answered 500',
        });
        expect(await s.webhooks.claimCursors('a', 2999, 9000, 10)).toEqual([]);
        const [again] = await s.webhooks.claimCursors('a', 3000, 9000, 10);
        expect(again).toMatchObject({
          seq: message.seq - 1,
          attempts: 1,
          pendingSeq: message.seq,
          pendingBody: '{"x":1}',
        });
      });

      it('should dead-letter an entry and move past it in one step, then retry it on request', async () => {
        await s.webhooks.addEndpoint(endpoint('wh1'));
        const { message } = await post('one');
        await s.webhooks.claimCursors('a', 1000, 5000, 10);
        expect(
          await s.webhooks.deadLetter('wh1', 'general', 'b', letter(message.seq), '2026-12-01T10:00:00.000Z'),
        ).toBe(false);
        expect(
          await s.webhooks.deadLetter('wh1', 'general', 'a', letter(message.seq), '2026-12-01T10:00:00.000Z'),
        ).toBe(true);
        await s.webhooks.release('wh1', 'general', 'a');
        expect(await s.webhooks.claimCursors('a', 1000, 5000, 10)).toEqual([]);
        expect(await s.webhooks.listDeadLetters(10)).toEqual([
          {
            id: `dl_${message.seq}`,
            endpointId: 'wh1',
            room: 'general',
            seq: message.seq,
            webhookId: `msg_${message.seq}`,
            type: 'message.created',
            attempts: 3,
            lastError: 'answered 500',
            state: 'dead',
            createdAt: '2026-12-01T10:00:00.000Z',
          },
        ]);
        expect(await s.webhooks.claimRetries('a', 1000, 5000, 10)).toEqual([]);
        expect(await s.webhooks.retryDeadLetter(`dl_${message.seq}`, 1000)).toBe(true);
        expect(await s.webhooks.retryDeadLetter('dl_nope', 1000)).toBe(false);
        const [retry] = await s.webhooks.claimRetries('a', 1000, 5000, 10);
        expect(retry).toMatchObject({
          id: `dl_${message.seq}`,
          webhookId: `msg_${message.seq}`,
          body: `{"seq":${message.seq}}`,
          attempts: 0,
        });
        expect(await s.webhooks.claimRetries('b', 1000, 5000, 10)).toEqual([]);
        await s.webhooks.letterFailed(`dl_${message.seq}`, 'a', {
          attempts: 3,
          nextAttemptAt: 0,
          error: 'again',
          dead: true,
        });
        expect((await s.webhooks.listDeadLetters(10))[0]).toMatchObject({
          state: 'dead',
          lastError: 'again',
        });
        await s.webhooks.retryDeadLetter(`dl_${message.seq}`, 1000);
        await s.webhooks.claimRetries('a', 1000, 5000, 10);
        await s.webhooks.letterDelivered(`dl_${message.seq}`, 'a');
        expect(await s.webhooks.listDeadLetters(10)).toEqual([]);
      });

      it('should remove an endpoint with its cursors and dead letters', async () => {
        await s.webhooks.addEndpoint(endpoint('wh1'));
        await s.webhooks.addEndpoint(endpoint('wh2'));
        const { message } = await post('one');
        await s.webhooks.claimCursors('a', 1000, 5000, 10);
        await s.webhooks.deadLetter('wh1', 'general', 'a', letter(message.seq), '2026-12-01T10:00:00.000Z');
        expect(await s.webhooks.removeEndpoint('wh1')).toBe(true);
        expect(await s.webhooks.removeEndpoint('wh1')).toBe(false);
        expect((await s.webhooks.listEndpoints()).map((e) => e.id)).toEqual(['wh2']);
        expect(await s.webhooks.listDeadLetters(10)).toEqual([]);
      });
    });
  });
}
