import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from './utils/accounts.js';
import { freePort, startServerProcess } from './utils/server-process.js';
import { describeWithService } from './utils/services.js';
import { createTempDir } from './utils/temp-dir.js';

const MAIN = fileURLToPath(new URL('../apps/api/dist/main.js', import.meta.url));

/** Runs the built server until it exits (it is expected to fail at start-up); its exit code and stderr. */
async function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

/** The promise of docs/operations.md: one line that says what is wrong and the fix, no stack. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]).toContain('Fix:');
}

/** `chattr +i` makes a directory unwritable even for root (tests run as root, so chmod would not). */
function immutableDirectories(): { available: boolean; reason: string } {
  const probe = createTempDir('chat-chattr-');
  const set = spawnSync('chattr', ['+i', probe.path]);
  spawnSync('chattr', ['-i', probe.path]);
  probe.remove();
  return {
    available: set.status === 0,
    reason: 'chattr +i (e2fsprogs, a file system with immutable attributes)',
  };
}

describe('start-up on a bad DATA_DIR', () => {
  let dataDir: ReturnType<typeof createTempDir>;

  beforeEach(() => {
    dataDir = createTempDir();
  });
  afterEach(() => {
    spawnSync('chattr', ['-i', dataDir.path]);
    dataDir.remove();
  });

  it('should refuse an empty jwt-secret (left by a first start on a full disk) in one line', async () => {
    writeFileSync(join(dataDir.path, 'jwt-secret'), '');
    const { code, stderr } = await runUntilExit({ DATA_DIR: dataDir.path });
    expect(code).toBe(1);
    expectOneLine(stderr, /jwt-secret is empty.*delete it to generate a new one.*or set JWT_SECRET/);
  });

  it('should refuse a jwt-secret too short to sign with in one line', async () => {
    writeFileSync(join(dataDir.path, 'jwt-secret'), 'abc\n');
    const { code, stderr } = await runUntilExit({ DATA_DIR: dataDir.path });
    expect(code).toBe(1);
    expectOneLine(stderr, /jwt-secret is only 3 characters/);
  });

  it('should say in one line that a jwt-secret which is a directory is not a file', async () => {
    mkdirSync(join(dataDir.path, 'jwt-secret'));
    const { code, stderr } = await runUntilExit({ DATA_DIR: dataDir.path });
    expect(code).toBe(1);
    expectOneLine(stderr, /jwt-secret is a directory, not a file \(EISDIR\)/);
  });

  it.each([
    ['40 spaces', ' '.repeat(40), /JWT_SECRET.*is blank/],
    [
      'short once the spaces are left out',
      'abcdefghij '.repeat(2),
      /JWT_SECRET.*only 20 non-whitespace characters/,
    ],
    ['one repeated character', 'x'.repeat(40), /JWT_SECRET.*only 1 different character/],
  ])('should refuse a JWT_SECRET that is %s in one line', async (_, secret, pattern) => {
    const { code, stderr } = await runUntilExit({ DATA_DIR: dataDir.path, JWT_SECRET: secret });
    expect(code).toBe(1);
    expectOneLine(stderr, pattern);
  });

  it('should say in one line that a DATA_DIR which is a file is not a directory', async () => {
    const file = join(dataDir.path, 'not-a-dir');
    writeFileSync(file, 'x');
    const { code, stderr } = await runUntilExit({ DATA_DIR: file });
    expect(code).toBe(1);
    expectOneLine(stderr, /DATA_DIR=.*not-a-dir: it is not a directory/);
  });

  it('should write the generated secret whole (0600, no temporary file left) and keep it across restarts', async () => {
    const env = { DATA_DIR: dataDir.path };
    const first = await startServerProcess(env);
    const { token } = await register(first.baseUrl);
    expect(await first.kill()).toBe(0);
    const file = join(dataDir.path, 'jwt-secret');
    const secret = readFileSync(file, 'utf8');
    expect(secret).toMatch(/^[0-9a-f]{96}\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir.path).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const second = await startServerProcess(env);
    try {
      const me = await fetch(`${second.baseUrl}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect(readFileSync(file, 'utf8')).toBe(secret);
    } finally {
      await second.kill();
    }
  });
});

describeWithService('start-up on a read-only DATA_DIR', immutableDirectories(), () => {
  let dataDir: ReturnType<typeof createTempDir>;

  beforeEach(() => {
    dataDir = createTempDir();
  });
  afterEach(() => {
    spawnSync('chattr', ['-i', dataDir.path]);
    dataDir.remove();
  });

  it('should say in one line, on a first start, that it cannot write there', async () => {
    expect(spawnSync('chattr', ['+i', dataDir.path]).status).toBe(0);
    const { code, stderr } = await runUntilExit({ DATA_DIR: dataDir.path });
    expect(code).toBe(1);
    expectOneLine(stderr, /^Cannot .* in DATA_DIR=.*: permission denied \(EPERM\)/);
  });

  it('should say in one line that the database cannot be created, when only the secret is there', async () => {
    writeFileSync(join(dataDir.path, 'jwt-secret'), `${'a'.repeat(64)}\n`);
    expect(spawnSync('chattr', ['+i', dataDir.path]).status).toBe(0);
    const { code, stderr } = await runUntilExit({ DATA_DIR: dataDir.path });
    expect(code).toBe(1);
    expectOneLine(stderr, /^Cannot open the SQLite database chat\.sqlite3 in DATA_DIR=.*SQLITE_CANTOPEN/);
  });
});
