import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { dataDirError, StartupError } from '../startup-error.js';

const SECRET_FILE = 'jwt-secret';
/** Characters a secret needs (for JWT_SECRET: non-whitespace ones). */
export const MIN_SECRET_LENGTH = 32;
/** Fewer different characters than this is a pattern (`aaaa...`, `abab...`), not a secret. */
const MIN_DISTINCT_CHARACTERS = 8;

/**
 * Why JWT_SECRET is too weak to sign with (blank, short or one character repeated), or
 * null when it will do. Whitespace does not count: 40 spaces are no secret.
 */
export function weakSecretReason(secret: string): string | null {
  const characters = [...secret.replace(/\s/gu, '')];
  if (characters.length === 0) return 'is blank';
  if (characters.length < MIN_SECRET_LENGTH) {
    return `has only ${characters.length} non-whitespace characters: it must be at least ${MIN_SECRET_LENGTH} characters, not counting whitespace`;
  }
  const distinct = new Set(characters).size;
  if (distinct < MIN_DISTINCT_CHARACTERS) {
    return `uses only ${distinct} different character${distinct === 1 ? '' : 's'} (at least ${MIN_DISTINCT_CHARACTERS} are needed)`;
  }
  return null;
}

/**
 * The token signing secret: JWT_SECRET when set; otherwise one generated on first start and
 * kept (mode 0600) under DATA_DIR, so tokens survive a restart. Several instances must share a
 * JWT_SECRET, since each has its own DATA_DIR.
 */
export function resolveJwtSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const dir = resolve(dataDir);
  const file = join(dir, SECRET_FILE);
  try {
    const existing = readSecret(file);
    if (existing !== null) return existing;
    mkdirSync(dir, { recursive: true });
    const secret = createSecret(file) ?? readSecret(file);
    if (secret === null) throw new Error(`${file} was created by another process and removed again`);
    return secret;
  } catch (error) {
    throw dataDirError(dir, `keep the token secret ${SECRET_FILE}`, error) ?? error;
  }
}

/** The kept secret, null when there is none yet; an empty or short one stops start-up. */
function readSecret(file: string): string | null {
  let secret: string;
  try {
    secret = readFileSync(file, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') {
      throw new StartupError(
        `The token secret ${file} is a directory, not a file (EISDIR). Fix: remove that directory to generate a new secret (everyone signs in again), or set JWT_SECRET.`,
        { cause: error },
      );
    }
    throw error;
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    // Signing with it would make every token forgeable, and silently replacing it would end
    // every session: the operator decides.
    throw new StartupError(
      `The token secret ${file} is ${secret.length === 0 ? 'empty' : `only ${secret.length} characters`} (an interrupted first start, e.g. on a full disk?). Fix: delete it to generate a new one (everyone signs in again), or set JWT_SECRET.`,
    );
  }
  return secret;
}

/**
 * Writes a new secret atomically: a temporary file, flushed to disk, then linked into place. A
 * crash or a full disk leaves either no secret or a whole one, never an empty file (which is
 * what writing in place did). link, unlike rename, fails when the file exists: if another
 * process got there first, returns null and the caller reads theirs.
 */
function createSecret(file: string): string | null {
  const secret = randomBytes(48).toString('hex');
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${secret}\n`);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(fd);
  try {
    linkSync(temporary, file);
    syncDirectory(resolve(file, '..'));
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/** Makes the new directory entry itself durable. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
