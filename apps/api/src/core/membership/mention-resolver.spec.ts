import { describe, expect, it } from '@jest/globals';
import type { User } from '@chat/contracts';
import type { MembershipStore } from '../../storage/membership-store.js';
import { MentionResolver } from './mention-resolver.js';

const author: User = { id: 'u-author', name: 'author', guest: false };
const members = new Map([
  ['alice', 'u-alice'],
  ['bob.smith', 'u-bob'],
  ['author', 'u-author'],
]);

/** Only membersNamed is asked; it records the names it was asked about. */
function resolverWith(asked: string[][]) {
  const store = {
    membersNamed: (_room: string, names: readonly string[]) => {
      asked.push([...names]);
      return Promise.resolve(names.flatMap((name) => members.get(name) ?? []));
    },
  } as unknown as MembershipStore;
  return new MentionResolver(store);
}

describe('MentionResolver', () => {
  it('should resolve @names of members, ignoring case, the author, e-mail addresses and a trailing dot', async () => {
    const asked: string[][] = [];
    const ids = await resolverWith(asked).resolve(
      'r',
      author,
      'hi @Alice and @bob.smith. mail me at x@alice.com, @author, @nobody',
    );
    expect(ids.sort()).toEqual(['u-alice', 'u-bob']);
    expect(asked[0]?.sort()).toEqual(['alice', 'author', 'bob.smith', 'nobody']);
  });

  it('should not ask the store about a text without an @', async () => {
    const asked: string[][] = [];
    expect(await resolverWith(asked).resolve('r', author, 'no mentions here')).toEqual([]);
    expect(asked).toEqual([]);
  });
});
