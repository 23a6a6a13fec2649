import { describe, expect, it } from '@jest/globals';
import type { User } from '@chat/contracts';
import { chunkDiff, chunkUsers } from './presence-chunks.js';

const users = (prefix: string, count: number): User[] =>
  Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i}`, name: `${prefix} ${i}`, guest: true }));

describe(chunkUsers.name, () => {
  it('should keep a small list in one part, and an empty one as one empty part', () => {
    expect(chunkUsers(users('a', 3), 10_000)).toEqual([users('a', 3)]);
    expect(chunkUsers([], 100)).toEqual([[]]);
  });

  it('should cut a big list into parts within the budget, in order, losing nobody', () => {
    const all = users('u', 100);
    const parts = chunkUsers(all, 500);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flat()).toEqual(all);
    for (const part of parts) expect(JSON.stringify(part).length).toBeLessThanOrEqual(500 + 1);
  });
});

describe(chunkDiff.name, () => {
  it('should put every left before every joined, so a rename split in two still applies', () => {
    const left = users('old', 20);
    const joined = users('new', 20);
    const parts = chunkDiff({ room: 'r', joined, left }, 300);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.flatMap((p) => p.left)).toEqual(left);
    expect(parts.flatMap((p) => p.joined)).toEqual(joined);
    const firstJoined = parts.findIndex((p) => p.joined.length > 0);
    expect(parts.slice(firstJoined + 1).every((p) => p.left.length === 0)).toBe(true);
  });

  it('should give nothing for an empty diff and one part for a small one', () => {
    expect(chunkDiff({ room: 'r', joined: [], left: [] }, 100)).toEqual([]);
    expect(chunkDiff({ room: 'r', joined: users('a', 1), left: [] }, 100)).toHaveLength(1);
  });
});
