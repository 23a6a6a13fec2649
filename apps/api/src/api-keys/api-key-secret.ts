import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_PREFIX } from '@chat/contracts';

/** 32 random bytes: 256 bits, far beyond guessing. */
const KEY_BYTES = 32;

/** A new key: the prefix, then 43 base64url characters. Shown once; only its hash is stored. */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(KEY_BYTES).toString('base64url')}`;
}

/**
 * SHA-256 of the key, hex. A slow password hash (scrypt, argon2) exists to make guessing a
 * low-entropy password expensive; a 256-bit random key cannot be guessed however fast the hash,
 * so a fast one is as safe here, and it lets every request find its key by an indexed lookup
 * instead of paying a slow hash per request (a key-stuffing flood would otherwise cost CPU).
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Whether a bearer token is one of our API keys (anything else is treated as a JWT). */
export function isApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}
