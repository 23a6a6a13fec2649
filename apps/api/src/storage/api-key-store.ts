import type { ApiKeyScope } from '@chat/contracts';

/** An API key as stored: never the key itself, only its hash (see api-keys/api-key-secret.ts). */
export interface StoredApiKey {
  id: string;
  /** Unique; what the CLI and logs call it. */
  name: string;
  /** The last four characters of the key, so an operator can tell keys apart. */
  hint: string;
  scopes: ApiKeyScope[];
  /** The bot account the key posts as. */
  botUserId: string;
  botName: string;
  createdAt: string;
  /** Null while the key is valid. */
  revokedAt: string | null;
}

/** The port for service accounts' keys; kept in the same database as the messages. */
export interface ApiKeyStore {
  /** 'taken' when a key of that name exists (revoked ones included: names are not reused). */
  create(key: StoredApiKey, keyHash: string): Promise<'created' | 'taken'>;
  /** The key whose hash this is, revoked or not; null when unknown. */
  findByHash(keyHash: string): Promise<StoredApiKey | null>;
  /** Every key, oldest first. */
  list(): Promise<StoredApiKey[]>;
  /** Revokes the key with that id or name; the key as it is now, or null when there is none. */
  revoke(idOrName: string, at: string): Promise<StoredApiKey | null>;
}

export const API_KEY_STORE = Symbol('ApiKeyStore');
