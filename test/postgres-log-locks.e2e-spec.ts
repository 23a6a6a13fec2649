import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type pg from 'pg';
import { openPostgresPool } from '../apps/api/src/storage/postgres/postgres-database.js';
import { PostgresMessageStore } from '../apps/api/src/storage/postgres/postgres-message-store.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';

const postgres = await postgresAvailability();
const alice = { id: 'u-alice', name: 'alice', guest: false };
const bob = { id: 'u-bob', name: 'bob', guest: false };

/**
 * Two instances (two stores, two pools) write to one thread at once: one reacts to and edits the
 * root, the other replies in its thread (which updates the root's summary). Both take the room's
 * row before any message row, so neither waits for the other in a cycle (a deadlock would reach
 * the client as `unavailable`).
 */
describeWithService('the room log on PostgreSQL under concurrent writers of one thread', postgres, () => {
  let database: TestDatabase;
  const pools: pg.Pool[] = [];
  const stores: PostgresMessageStore[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < 2; i++) {
      const pool = await openPostgresPool(database.url);
      pools.push(pool);
      stores.push(new PostgresMessageStore(pool));
    }
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await Promise.all(pools.map((pool) => pool.end()));
    await database?.drop();
  });

  it('should apply every change and every reply, in one gap-free sequence', async () => {
    const [a, b] = stores as [PostgresMessageStore, PostgresMessageStore];
    const root = (await a.append({ room: 'general', user: alice, text: 'root', clientId: 'root' })).message;
    const rounds = 150;
    const results: PromiseSettledResult<unknown>[] = [];
    // Round by round, so that the two stores' transactions interleave many times.
    for (let i = 0; i < rounds; i++) {
      results.push(
        ...(await Promise.allSettled([
          a.appendChange({
            type: 'react',
            room: 'general',
            user: alice,
            clientId: `r${i}`,
            id: root.id,
            emoji: '👍',
            on: i % 2 === 0,
          }),
          a.appendChange({
            type: 'edit',
            room: 'general',
            user: alice,
            clientId: `e${i}`,
            id: root.id,
            text: `root ${i}`,
          }),
          b.append({ room: 'general', user: bob, text: `reply ${i}`, clientId: `t${i}`, threadId: root.id }),
        ])),
      );
    }
    const failures = results.filter((result) => result.status === 'rejected');
    expect(failures).toEqual([]);
    const page = await a.readPage('general', { limit: 500 });
    expect(page.lastSeq).toBe(1 + rounds * 3);
    expect(page.messages.find((message) => message.id === root.id)?.thread?.replyCount).toBe(rounds);
  }, 60_000);
});
