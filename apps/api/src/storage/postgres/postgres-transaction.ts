import type pg from 'pg';
import { asStorageError } from '../../common/errors/storage-failure.js';

/**
 * Runs `work` in one transaction on a client of the pool: committed when it resolves, rolled
 * back when it throws. Failures become storage errors as {@link query}'s do.
 */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw asStorageError(error);
  }
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw asStorageError(error);
  } finally {
    client.release();
  }
}
