import type Database from 'better-sqlite3';
import type { ApiKeyStore, StoredApiKey } from '../api-key-store.js';
import { API_KEY_COLUMNS, toStoredApiKey, type ApiKeyRow } from '../api-key-rows.js';
import { DEFAULT_LOCK_WAIT_MS, whileLocked } from './sqlite-lock-wait.js';

export class SqliteApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly db: Database.Database,
    private readonly lockWaitMs = DEFAULT_LOCK_WAIT_MS,
  ) {}

  create(key: StoredApiKey, keyHash: string): Promise<'created' | 'taken'> {
    return whileLocked(() => {
      const { changes } = this.db
        .prepare(
          `INSERT INTO api_keys (id, name, key_hash, key_hint, scopes, bot_user_id, bot_name, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(
          key.id,
          key.name,
          keyHash,
          key.hint,
          key.scopes.join(','),
          key.botUserId,
          key.botName,
          key.createdAt,
        );
      return changes === 1 ? 'created' : 'taken';
    }, this.lockWaitMs);
  }

  findByHash(keyHash: string): Promise<StoredApiKey | null> {
    const row = this.db.prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE key_hash = ?`).get(keyHash) as
      ApiKeyRow | undefined;
    return Promise.resolve(row ? toStoredApiKey(row) : null);
  }

  list(): Promise<StoredApiKey[]> {
    const rows = this.db
      .prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY created_at, id`)
      .all() as ApiKeyRow[];
    return Promise.resolve(rows.map(toStoredApiKey));
  }

  revoke(idOrName: string, at: string): Promise<StoredApiKey | null> {
    return whileLocked(() => {
      this.db
        .prepare('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? OR name = ?')
        .run(at, idOrName, idOrName);
      const row = this.db
        .prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = ? OR name = ?`)
        .get(idOrName, idOrName) as ApiKeyRow | undefined;
      return row ? toStoredApiKey(row) : null;
    }, this.lockWaitMs);
  }
}
