import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** scrypt cost parameters (N=2^15, r=8, p=1: the OWASP minimum), stored with each hash. */
const COST: Required<Pick<ScryptOptions, 'N' | 'r' | 'p'>> = { N: 32768, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** N=2^15, r=8 needs 32 MiB; Node's default cap is exactly that, so leave headroom. */
const MAX_MEMORY = 64 * 1024 * 1024;

type Cost = typeof COST;
type ParsedHash = { cost: Cost; salt: Buffer; expected: Buffer };

/** Password hashes with scrypt; injected, so a test can count the scrypt runs a sign-in costs. */
@Injectable()
export class PasswordHasher {
  /** `scrypt$N$r$p$salt$hash` (base64): the parameters travel with the hash, so they can change later. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await this.derive(password, salt, COST);
    return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
  }

  /**
   * Constant-time comparison. A missing or malformed stored hash (a bot's or a host user's is
   * empty) never matches, and costs the same scrypt run as a wrong password, against the dummy
   * hash: how long the answer takes must not tell an account without a password from one with.
   */
  async verify(password: string, stored: string | undefined): Promise<boolean> {
    const parsed = parseHash(stored);
    const against = parsed ?? parseHash(await dummyHash())!;
    const key = await this.derive(password, against.salt, against.cost);
    const same = key.length === against.expected.length && timingSafeEqual(key, against.expected);
    return parsed !== null && same;
  }

  /** One scrypt run: what every hash and every check costs. */
  derive(password: string, salt: Buffer, cost: Cost): Promise<Buffer> {
    return new Promise((resolve, reject) =>
      scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...cost, maxmem: MAX_MEMORY }, (error, key) =>
        error ? reject(error) : resolve(key),
      ),
    );
  }
}

/** `scrypt$N$r$p$salt$hash`, or null for anything else (empty, another scheme, bad parameters). */
function parseHash(stored: string | undefined): ParsedHash | null {
  const [scheme, n, r, p, salt, hash, ...rest] = (stored ?? '').split('$');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || !salt || !hash || rest.length > 0) return null;
  if (![cost.N, cost.r, cost.p].every((value) => Number.isSafeInteger(value) && value > 0)) return null;
  return { cost, salt: Buffer.from(salt, 'base64'), expected: Buffer.from(hash, 'base64') };
}

const standard = new PasswordHasher();

/** A hash, for code outside Nest's injector (seeding tests, the dummy below). */
export function hashPassword(password: string): Promise<string> {
  return standard.hash(password);
}

/**
 * A hash of a random password: logging in as an unknown user, or as one without a password, is
 * checked against it, so that answering "wrong username or password" takes as long whether or
 * not the account exists and has a password.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
let dummy: Promise<string> | undefined;
