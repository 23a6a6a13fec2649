import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ApiKeyScopeSchema, type ApiKeyScope, type User } from '@chat/contracts';
import { BotAccounts } from '../bots/bot-accounts.js';
import { BadRequestError, ConflictError, UnauthorizedError } from '../common/errors/chat-errors.js';
import { API_KEY_STORE, type ApiKeyStore, type StoredApiKey } from '../storage/api-key-store.js';
import { generateApiKey, hashApiKey } from './api-key-secret.js';

/** Short enough that `<name>-bot` is a valid username (at most 32). */
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,27}$/;

/** A valid key and who it acts as. */
export interface ApiKeyIdentity {
  key: StoredApiKey;
  /** The key's bot: `{id, name, guest: false, bot: true}`. */
  user: User;
}

/** Service accounts: create (the key is returned once), list, revoke, and recognize a key. */
@Injectable()
export class ApiKeysService {
  constructor(
    @Inject(API_KEY_STORE) private readonly store: ApiKeyStore,
    private readonly bots: BotAccounts,
  ) {}

  /** Creates a key and its bot (named `bot`, or `<name>-bot`). The key itself is in the answer only. */
  async create(input: {
    name: string;
    scopes: readonly string[];
    bot?: string;
  }): Promise<{ key: string; record: StoredApiKey }> {
    if (!KEY_NAME.test(input.name)) {
      throw new BadRequestError(
        `key name "${input.name}": use 1-28 letters, digits, _ . - (starting with a letter or digit)`,
      );
    }
    const scopes = this.parseScopes(input.scopes);
    const bot = await this.bots.ensure(input.bot ?? `${input.name}-bot`);
    const key = generateApiKey();
    const record: StoredApiKey = {
      id: `key_${randomUUID()}`,
      name: input.name,
      hint: key.slice(-4),
      scopes,
      botUserId: bot.id,
      botName: bot.name,
      createdAt: new Date().toISOString(),
      revokedAt: null,
    };
    if ((await this.store.create(record, hashApiKey(key))) === 'taken') {
      throw new ConflictError(
        `an API key named "${input.name}" exists already (names are never reused): pick another name`,
      );
    }
    return { key, record };
  }

  list(): Promise<StoredApiKey[]> {
    return this.store.list();
  }

  /** Revokes by id or name; the key is refused from the next request on, on every instance. */
  async revoke(idOrName: string): Promise<StoredApiKey> {
    const key = await this.store.revoke(idOrName, new Date().toISOString());
    if (!key) throw new BadRequestError(`no API key has the id or name "${idOrName}": see api-key list`);
    return key;
  }

  /** The key's identity; 401 for a key that is unknown or revoked (the same answer for both). */
  async authenticate(token: string): Promise<ApiKeyIdentity> {
    const key = await this.store.findByHash(hashApiKey(token));
    if (!key || key.revokedAt !== null) {
      throw new UnauthorizedError(
        'this API key is unknown or revoked: create a new one (npm run chat -- api-key create)',
      );
    }
    return { key, user: { id: key.botUserId, name: key.botName, guest: false, bot: true } };
  }

  private parseScopes(scopes: readonly string[]): ApiKeyScope[] {
    if (scopes.length === 0)
      throw new BadRequestError(`give at least one scope: ${ApiKeyScopeSchema.options.join(', ')}`);
    return [...new Set(scopes)].map((scope) => {
      const parsed = ApiKeyScopeSchema.safeParse(scope);
      if (!parsed.success) {
        throw new BadRequestError(`unknown scope "${scope}": use ${ApiKeyScopeSchema.options.join(', ')}`);
      }
      return parsed.data;
    });
  }
}
