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
      const minutes = (n: number) => n * 60_000;
      const T0 = Date.parse('2026-12-01T10:00:00.000Z');
      /** A claim `ago` ms before T0, with the 10-minute lease, by the request `hold`. */
      const at = (hold: string, ago = 0) => ({
        hold,
        now: new Date(T0 - ago).toISOString(),
        abandonedBefore: new Date(T0 - ago - minutes(10)).toISOString(),
      });

      it('should bind a key to its first fingerprint, per user, one holder at a time', async () => {
        expect(await s.idempotency.claim('u1', 'k', 'f1', at('h1'))).toEqual({ status: 'new' });
        // The identical request meanwhile: told so, and it holds nothing.
        expect(await s.idempotency.claim('u1', 'k', 'f1', at('h2'))).toEqual({ status: 'in-flight' });
        expect(await s.idempotency.claim('u1', 'k', 'f2', at('h3'))).toEqual({
          status: 'conflict',
          inFlight: true,
        });
        expect(await s.idempotency.claim('u2', 'k', 'f2', at('h4'))).toEqual({ status: 'new' });
        // Only the holder settles it.
        await s.idempotency.settle('u1', 'k', 'h2', { stored: false, replies: ['not mine'] });
        expect(await s.idempotency.claim('u1', 'k', 'f1', at('h5'))).toEqual({ status: 'in-flight' });
        await s.idempotency.settle('u1', 'k', 'h1', { stored: true });
        expect(await s.idempotency.claim('u1', 'k', 'f2', at('h6'))).toEqual({
          status: 'conflict',
          inFlight: false,
        });
        expect(await s.idempotency.claim('u1', 'k', 'f1', at('h7'))).toEqual({ status: 'same' });
      });

      it('should free a key its holder released, and ignore a release by anyone else', async () => {
        await s.idempotency.claim('u1', 'k', 'f1', at('h1'));
        await s.idempotency.release('u1', 'k', 'h2');
        expect(await s.idempotency.claim('u1', 'k', 'f2', at('h3'))).toEqual({
          status: 'conflict',
          inFlight: true,
        });
        await s.idempotency.release('u1', 'k', 'h1');
        // Released twice changes nothing.
        await s.idempotency.release('u1', 'k', 'h1');
        expect(await s.idempotency.claim('u1', 'k', 'f2', at('h4'))).toEqual({ status: 'new' });
        // The first holder's late writes touch the new holder's binding no more.
        await s.idempotency.settle('u1', 'k', 'h1', { stored: true });
        await s.idempotency.release('u1', 'k', 'h1');
        expect(await s.idempotency.claim('u1', 'k', 'f1', at('h5'))).toEqual({
          status: 'conflict',
          inFlight: true,
        });
      });

      it('should treat a pending binding claimed before abandonedBefore as free', async () => {
        expect(await s.idempotency.claim('u1', 'k', 'f1', at('h1', minutes(11)))).toEqual({ status: 'new' });
        // Not in flight any more: the identical request takes it over instead of waiting for good.
        expect(await s.idempotency.claim('u1', 'k', 'f1', at('h2'))).toEqual({ status: 'new' });
        expect(await s.idempotency.claim('u1', 'k', 'f2', at('h3'))).toEqual({
          status: 'conflict',
          inFlight: true,
        });
        await s.idempotency.settle('u1', 'k', 'h2', { stored: true });
        // A settled binding is never abandoned, however old.
        expect(await s.idempotency.claim('u1', 'k', 'f3', at('h4', -minutes(600)))).toEqual({
          status: 'conflict',
          inFlight: false,
        });
      });

      it('should keep the replies of a swallowed body, and bind a key to another fingerprint when told', async () => {
        await s.idempotency.claim('u1', 'cmd', 'f1', at('h1'));
        await s.idempotency.settle('u1', 'cmd', 'h1', { stored: false, replies: ['rolled 4', 'ok'] });
        expect(await s.idempotency.claim('u1', 'cmd', 'f1', at('h2'))).toEqual({
          status: 'same',
          replies: ['rolled 4', 'ok'],
        });
        await s.idempotency.release('u1', 'cmd', 'h1');
        expect(await s.idempotency.claim('u1', 'cmd', 'f2', at('h3'))).toEqual({
          status: 'conflict',
          inFlight: false,
        });

        await s.idempotency.claim('u1', 'msg', 'f1', at('h4'));
        await s.idempotency.settle('u1', 'msg', 'h4', { stored: true, boundTo: 'someone else' });
        expect(await s.idempotency.claim('u1', 'msg', 'f1', at('h5'))).toEqual({
          status: 'conflict',
          inFlight: false,
        });
        expect(await s.idempotency.claim('u1', 'msg', 'someone else', at('h6'))).toEqual({ status: 'same' });
      });

      it('should let one of concurrent identical claims hold the key, the others told it is in flight', async () => {
        const claims = await Promise.all(
          Array.from({ length: 5 }, (_, i) => s.idempotency.claim('u1', 'k', 'f1', at(`h${i}`))),
        );
        expect(claims.filter((c) => c.status === 'new')).toHaveLength(1);
        expect(claims.filter((c) => c.status === 'in-flight')).toHaveLength(4);
      });

      it('should let one of concurrent claims with different bodies hold the key', async () => {
        const claims = await Promise.all(
          ['f1', 'f2', 'f3', 'f4'].map((f) => s.idempotency.claim('u1', 'k', f, at(`h-${f}`))),
        );
        expect(claims.filter((c) => c.status === 'new')).toHaveLength(1);
        expect(claims.filter((c) => c.status === 'conflict')).toHaveLength(3);
      });

      it('should prune released, abandoned and settled-long-ago bindings, in bounded batches', async () => {
        const hours = (n: number) => minutes(60 * n);
        await s.idempotency.claim('u1', 'stored-long-ago', 'f1', at('h1', hours(25)));
        await s.idempotency.settle('u1', 'stored-long-ago', 'h1', { stored: true });
        await s.idempotency.claim('u1', 'swallowed-recently', 'f1', at('h2', hours(23)));
        await s.idempotency.settle('u1', 'swallowed-recently', 'h2', { stored: false, replies: ['hi'] });
        await s.idempotency.claim('u1', 'abandoned', 'f1', at('h3', minutes(11)));
        await s.idempotency.claim('u1', 'held', 'f1', at('h4', minutes(9)));
        await s.idempotency.claim('u1', 'released', 'f1', at('h5', minutes(1)));
        await s.idempotency.release('u1', 'released', 'h5');
        const before = {
          abandonedBefore: new Date(T0 - minutes(10)).toISOString(),
          settledBefore: new Date(T0 - hours(24)).toISOString(),
        };
        expect(await s.idempotency.prune(before, 2)).toBe(2);
        expect(await s.idempotency.prune(before, 2)).toBe(1);
        expect(await s.idempotency.prune(before, 2)).toBe(0);
        // Forgotten: another body binds it.
        expect(await s.idempotency.claim('u1', 'stored-long-ago', 'f2', at('h6'))).toEqual({ status: 'new' });
        // Kept: the replay still gets its replies, the live request still holds its key.
        expect(await s.idempotency.claim('u1', 'swallowed-recently', 'f1', at('h7'))).toEqual({
          status: 'same',
          replies: ['hi'],
        });
        expect(await s.idempotency.claim('u1', 'held', 'f1', at('h8'))).toEqual({ status: 'in-flight' });
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
