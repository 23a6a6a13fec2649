import { DisplayNameSchema } from '@chat/contracts';
import type { JWTPayload } from 'jose';
import { UnauthorizedError } from '../common/errors/chat-errors.js';
import type { ExternalIdentity } from './external-token-verifier.js';

/** Longest `sub` taken: ids are stored and sent with every message. */
const MAX_SUBJECT_LENGTH = 200;
const CONTROL_CHARACTERS = /\p{Cc}/u;

/**
 * The claim mapping of a host app's token (docs/embedding.md, "Your own users"): `sub` (the
 * user), `name` or else `preferred_username` (the display name), optional `roles` (strings),
 * `guest` and `bot` (booleans), `iat`. A claim of the wrong shape refuses the token rather than
 * being ignored: the issuer meant something by it.
 */
export function externalIdentity(payload: JWTPayload): ExternalIdentity {
  const { sub, iat } = payload;
  if (
    typeof sub !== 'string' ||
    sub === '' ||
    sub.length > MAX_SUBJECT_LENGTH ||
    CONTROL_CHARACTERS.test(sub)
  ) {
    throw invalid(`sub must be a string of 1-${MAX_SUBJECT_LENGTH} printable characters`);
  }
  const name = DisplayNameSchema.safeParse(payload.name ?? payload.preferred_username);
  if (!name.success) {
    throw invalid(`name (or preferred_username): ${name.error.issues[0]?.message ?? 'missing'}`);
  }
  const roles = payload.roles ?? [];
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) {
    throw invalid('roles must be an array of strings');
  }
  const guest = flag(payload, 'guest');
  const bot = flag(payload, 'bot');
  if (guest && bot) throw invalid('a guest cannot be a bot');
  return { subject: sub, name: name.data, roles, guest, bot, issuedAt: typeof iat === 'number' ? iat : 0 };
}

function flag(payload: JWTPayload, claim: 'guest' | 'bot'): boolean {
  const value = payload[claim];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalid(`${claim} must be true or false`);
  return value;
}

function invalid(why: string): UnauthorizedError {
  return new UnauthorizedError(`invalid token: ${why}`);
}
