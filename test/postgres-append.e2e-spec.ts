import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openPostgresPool } from '../apps/api/src/storage/postgres/postgres-database.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';

const postgres = await postgresAvailability();

interface AppendRow {
  id: string;
  seq: string;
  duplicate: boolean;
}

/**
 * The race that the store's own API cannot stage on purpose: two transactions (two instances'
 * group commits) append the same (user, clientId) at once. The second must answer with the
 * first one's message and give back the seq it took, so the room stays gap-free.
 */
describeWithService('chat_append on PostgreSQL: a duplicate from a concurrent transaction', postgres, () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const sessions: pg.Client[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = await openPostgresPool(database.url); // runs the migrations
    for (let i = 0; i < 2; i++) {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      sessions.push(client);
    }
  });
  afterAll(async () => {
    await Promise.all(sessions.map((client) => client.end()));
    await pool?.end();
    await database?.drop();
  });

  const append = (client: pg.Client, room: string, clientId: string) =>
    client
      .query<AppendRow>('SELECT * FROM chat_append($1, $2, $3, $4, $5, $6, $7, $8)', [
        randomUUID(),
        room,
        'user-1',
        'Ann',
        false,
        clientId,
        'hello',
        new Date().toISOString(),
      ])
      .then((result) => result.rows[0]!);

  const lastSeq = async (room: string) =>
    Number((await pool.query('SELECT last_seq FROM rooms WHERE name = $1', [room])).rows[0].last_seq);

  it.each([
    ['the same room', 'race-same', 'race-same'],
    ['another room', 'race-a', 'race-b'],
  ])('should answer the later one with the first message and skip no seq (%s)', async (_, roomA, roomB) => {
    const [first, second] = sessions as [pg.Client, pg.Client];
    const clientId = `dup-${roomA}`;
    await first.query('BEGIN');
    const stored = await append(first, roomA, clientId);
    expect(stored.duplicate).toBe(false);

    // Blocks on the first transaction's row lock or unique-index entry until it commits.
    const racing = append(second, roomB, clientId);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.query('COMMIT');
    const answer = await racing;

    expect(answer).toEqual({ ...stored, duplicate: true });
    expect(await lastSeq(roomA)).toBe(1);
    if (roomB !== roomA) expect(await lastSeq(roomB)).toBe(0);

    // The next message of either room takes the next seq: nothing was skipped.
    const next = await append(second, roomB, `${clientId}-next`);
    expect(Number(next.seq)).toBe(roomB === roomA ? 2 : 1);
  });
});
