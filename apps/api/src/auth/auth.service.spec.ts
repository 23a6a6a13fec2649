import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { ForbiddenError, UnauthorizedError } from '../common/errors/chat-errors.js';
import { AppConfigService } from '../config/app-config.service.js';
import { loadConfig } from '../config/load-config.js';
import { openSqliteDatabase } from '../storage/sqlite/sqlite-database.js';
import { sqliteEngine } from '../storage/sqlite/sqlite-engine.js';
import type { StorageEngine } from '../storage/storage-engine.js';
import { AuthService } from './auth.service.js';
import type { ChatIdentity } from './chat-identity.js';
import type { IdentityService } from './identity.service.js';
import { PasswordHasher } from './password-hasher.js';
import { TokenService } from './token.service.js';

const PASSWORD = 'correct horse battery staple';
const SECRET = 'auth-service-spec-secret-0123456789abcdef01234';

/** What a login answered: the error's class and message, or 'signed in'. */
async function outcome(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
    return 'signed in';
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

describe('AuthService.login: one password check whoever asks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'auth-service-spec-'));
  let engine: StorageEngine;
  let hasher: PasswordHasher;
  let auth: AuthService;

  beforeAll(async () => {
    engine = sqliteEngine(openSqliteDatabase(dir), 1000);
    const config = new AppConfigService(loadConfig({ JWT_SECRET: SECRET }));
    hasher = new PasswordHasher();
    auth = new AuthService(
      engine.users,
      new TokenService(new JwtService({ secret: SECRET }), config),
      undefined as unknown as IdentityService, // not used by login
      undefined as unknown as ChatIdentity, // not used by login
      config,
      hasher,
    );
    await engine.users.create({
      id: 'user:rita',
      username: 'rita',
      passwordHash: await hasher.hash(PASSWORD),
    });
    // A host app's user, as a token creates it: a row found by its id, with no password.
    await engine.users.ensureExternal({ id: 'host:hal', username: 'Hal', bot: false });
    await engine.users.ensureBot({ id: 'bot:clock', username: 'clock' });
    // An account whose stored hash is not one (an import gone wrong): never a way in, nor a tell.
    await engine.users.create({ id: 'user:odd', username: 'odd', passwordHash: 'md5$abc' });
  });

  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a wrong password', 'rita'],
    ['an unknown username', 'nobody-here'],
    ["a host user's id (host:<sub>, no password)", 'host:hal'],
    ['an account with a malformed hash', 'odd'],
  ])(
    'should cost exactly one scrypt run and answer "wrong username or password" for %s',
    async (_case, username) => {
      const derive = jest.spyOn(hasher, 'derive');
      try {
        expect(await outcome(auth.login({ username, password: 'not the password' }))).toBe(
          `${UnauthorizedError.name}: wrong username or password`,
        );
        expect(derive).toHaveBeenCalledTimes(1);
      } finally {
        derive.mockRestore();
      }
    },
  );

  it("should answer the same for a host user's id even with an empty password", async () => {
    const derive = jest.spyOn(hasher, 'derive');
    try {
      expect(await outcome(auth.login({ username: 'host:hal', password: '' }))).toBe(
        `${UnauthorizedError.name}: wrong username or password`,
      );
      expect(derive).toHaveBeenCalledTimes(1);
    } finally {
      derive.mockRestore();
    }
  });

  it("should cost a bot's name the same scrypt run before saying bots cannot sign in", async () => {
    const derive = jest.spyOn(hasher, 'derive');
    try {
      expect(await outcome(auth.login({ username: 'clock', password: PASSWORD }))).toBe(
        `${ForbiddenError.name}: "clock" is a bot account: bots cannot sign in`,
      );
      expect(derive).toHaveBeenCalledTimes(1);
    } finally {
      derive.mockRestore();
    }
  });

  it('should still sign the right password in, with one scrypt run', async () => {
    const derive = jest.spyOn(hasher, 'derive');
    try {
      const session = await auth.login({ username: 'RITA', password: PASSWORD });
      expect(session.user).toEqual({ id: 'user:rita', name: 'rita', guest: false });
      expect(derive).toHaveBeenCalledTimes(1);
    } finally {
      derive.mockRestore();
    }
  });
});
