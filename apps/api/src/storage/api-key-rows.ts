import type { ApiKeyScope } from '@chat/contracts';
import type { StoredApiKey } from './api-key-store.js';

/** An api_keys row as both engines return it (the same columns and types). */
export interface ApiKeyRow {
  id: string;
  name: string;
  key_hint: string;
  scopes: string;
  bot_user_id: string;
  bot_name: string;
  created_at: string;
  revoked_at: string | null;
}

export const API_KEY_COLUMNS = 'id, name, key_hint, scopes, bot_user_id, bot_name, created_at, revoked_at';

export function toStoredApiKey(row: ApiKeyRow): StoredApiKey {
  return {
    id: row.id,
    name: row.name,
    hint: row.key_hint,
    scopes: row.scopes.split(',').filter(Boolean) as ApiKeyScope[],
    botUserId: row.bot_user_id,
    botName: row.bot_name,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
