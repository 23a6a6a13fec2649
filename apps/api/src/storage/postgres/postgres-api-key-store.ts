import type pg from 'pg';
import type { ApiKeyStore, StoredApiKey } from '../api-key-store.js';
import { API_KEY_COLUMNS, toStoredApiKey, type ApiKeyRow } from '../api-key-rows.js';
import { query } from './postgres-database.js';

export class PostgresApiKeyStore implements ApiKeyStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(key: StoredApiKey, keyHash: string): Promise<'created' | 'taken'> {
    const { rowCount } = await query(
      this.pool,
      `INSERT INTO api_keys (id, name, key_hash, key_hint, scopes, bot_user_id, bot_name, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [key.id, key.name, keyHash, key.hint, key.scopes.join(','), key.botUserId, key.botName, key.createdAt],
    );
    return rowCount === 1 ? 'created' : 'taken';
  }

  async findByHash(keyHash: string): Promise<StoredApiKey | null> {
    const { rows } = await query<ApiKeyRow>(
      this.pool,
      `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE key_hash = $1`,
      [keyHash],
    );
    return rows[0] ? toStoredApiKey(rows[0]) : null;
  }

  async list(): Promise<StoredApiKey[]> {
    const { rows } = await query<ApiKeyRow>(
      this.pool,
      `SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY created_at, id`,
    );
    return rows.map(toStoredApiKey);
  }

  async revoke(idOrName: string, at: string): Promise<StoredApiKey | null> {
    const { rows } = await query<ApiKeyRow>(
      this.pool,
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2 OR name = $2
       RETURNING ${API_KEY_COLUMNS}`,
      [at, idOrName],
    );
    return rows[0] ? toStoredApiKey(rows[0]) : null;
  }
}
