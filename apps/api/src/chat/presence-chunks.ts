import type { PresenceDiff, User } from '@chat/contracts';

/** Bytes a user takes in a JSON array: its JSON (UTF-8) and the comma before it. */
function bytesOf(user: User): number {
  return Buffer.byteLength(JSON.stringify(user)) + 1;
}

/**
 * A big room's presence list, cut into parts of at most `maxBytes` of users each (one user at
 * least), so that no `presence` frame is larger than the server's published frame maximum.
 * An empty list is one empty part.
 */
export function chunkUsers(users: readonly User[], maxBytes: number): User[][] {
  const parts: User[][] = [[]];
  let bytes = 0;
  for (const user of users) {
    const size = bytesOf(user);
    if (bytes + size > maxBytes && parts.at(-1)!.length > 0) {
      parts.push([]);
      bytes = 0;
    }
    parts.at(-1)!.push(user);
    bytes += size;
  }
  return parts;
}

/**
 * A diff cut the same way. Every `left` comes before every `joined`, so applying the parts in
 * order (drop everyone named, then add `joined`) gives what the whole diff gives, a rename
 * (left under the old name, joined under the new) included.
 */
export function chunkDiff({ room, joined, left }: PresenceDiff, maxBytes: number): PresenceDiff[] {
  if (joined.length + left.length === 0) return [];
  const entries = [
    ...left.map((user) => ({ user, list: 'left' as const })),
    ...joined.map((user) => ({ user, list: 'joined' as const })),
  ];
  const parts: PresenceDiff[] = [{ room, joined: [], left: [] }];
  let bytes = 0;
  for (const { user, list } of entries) {
    const size = bytesOf(user);
    const part = parts.at(-1)!;
    if (bytes + size > maxBytes && part.joined.length + part.left.length > 0) {
      parts.push({ room, joined: [], left: [] });
      bytes = 0;
    }
    parts.at(-1)![list].push(user);
    bytes += size;
  }
  return parts;
}
