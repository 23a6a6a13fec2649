import { createHash } from 'node:crypto';

/** Room names starting with this are DMs: nobody can create one by joining or POST /api/rooms. */
export const DM_PREFIX = 'dm-';

/**
 * The one room of a pair of users, whichever opens it: `dm-` and 29 hex characters of the
 * SHA-256 of the sorted pair (32 characters, the longest room name).
 */
export function dmRoomName(a: string, b: string): string {
  const [low, high] = a < b ? [a, b] : [b, a];
  return DM_PREFIX + createHash('sha256').update(`${low}\n${high}`).digest('hex').slice(0, 29);
}
