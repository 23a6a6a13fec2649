import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from '@jest/globals';
import { describeWithService, isReachable } from './services.js';

/** Admin connection used to create and drop per-run databases. */
const ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function postgresAvailability(): Promise<{ available: boolean; reason: string }> {
  const url = new URL(ADMIN_URL);
  const available = await isReachable(url.hostname, Number(url.port || 5432));
  return { available, reason: `PostgreSQL at ${url.host} (set TEST_POSTGRES_ADMIN_URL to use another)` };
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test run; `drop()` removes it (and kicks out its sessions). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `chat_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The environment that puts a suite's server on one store. */
export type StoreEnv = () => Record<string, string>;

/**
 * Runs `suite` on the embedded SQLite store, then on a fresh PostgreSQL database (dropped after):
 * the second is skipped (or, under CI=true, failed) the usual way when PostgreSQL is missing.
 * `postgres`: the suite file's `await postgresAvailability()`.
 */
export function describeOnEachStore(
  title: string,
  postgres: { available: boolean; reason: string },
  suite: (store: string, env: StoreEnv) => void,
): void {
  suite('SQLite', () => ({}));
  describeWithService(`${title} on PostgreSQL`, postgres, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => {
      await database?.drop();
    });
    suite('PostgreSQL', () => ({ DATABASE_URL: database.url }));
  });
}
