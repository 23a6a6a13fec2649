import { describe, expect, it } from '@jest/globals';
import type { PresenceDiff, User } from '@chat/contracts';
import { PresenceDirectory } from './presence-directory.js';
import type { PresenceService } from './presence.service.js';

/** Presence as PresenceService reports it, for one room. */
class FakePresence {
  readonly here = new Map<string, User>();
  private listener: ((diff: PresenceDiff) => void) | undefined;
  users(): User[] {
    return [...this.here.values()];
  }
  onChange(listener: (diff: PresenceDiff) => void): () => void {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  enter(user: User): void {
    this.here.set(user.id, user);
    this.listener?.({ room: 'r', joined: [user], left: [] });
  }
  exit(user: User): void {
    this.here.delete(user.id);
    this.listener?.({ room: 'r', joined: [], left: [user] });
  }
}

const user = (id: string, name: string): User => ({ id, name, guest: true });

describe(PresenceDirectory.name, () => {
  const setup = (users: User[]) => {
    const presence = new FakePresence();
    for (const u of users) presence.enter(u);
    return { presence, sut: new PresenceDirectory(presence as unknown as PresenceService) };
  };

  it('should page through everyone once, ordered by name case-insensitively, then id', () => {
    const users = [
      user('3', 'bob'),
      user('1', 'Alice'),
      user('2', 'alice'),
      user('4', 'Carol'),
      user('5', 'dave'),
    ];
    const { sut } = setup(users);
    const first = sut.page('r', { limit: 2 });
    expect(first.users.map((u) => u.id)).toEqual(['1', '2']);
    const second = sut.page('r', { limit: 2, after: first.next });
    expect(second.users.map((u) => u.id)).toEqual(['3', '4']);
    const last = sut.page('r', { limit: 2, after: second.next });
    expect(last.users.map((u) => u.id)).toEqual(['5']);
    expect(last.next).toBeUndefined();
  });

  it('should keep a user online throughout on exactly one page while others come and go', () => {
    const users = Array.from({ length: 30 }, (_, i) => user(`u${i}`, `user ${String(i).padStart(2, '0')}`));
    const { presence, sut } = setup(users);
    const seen: string[] = [];
    let after: string | undefined;
    let round = 0;
    do {
      const page = sut.page('r', { limit: 7, after });
      seen.push(...page.users.map((u) => u.id));
      after = page.next;
      // Between pages, someone before the cursor leaves and a newcomer sorts before it too.
      presence.exit(users[round]!);
      presence.enter(user(`new${round}`, `aaa ${round}`));
      round++;
    } while (after !== undefined);
    const stayed = users.slice(round).map((u) => u.id);
    for (const id of stayed) expect(seen.filter((s) => s === id)).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('should filter by a part of the name, and say no more when the page is the last match', () => {
    const { sut } = setup([user('1', 'Zoe'), user('2', 'zoltan'), user('3', 'Amy'), user('4', 'ozzy')]);
    const page = sut.page('r', { q: 'ZO', limit: 2 });
    expect(page.users.map((u) => u.name)).toEqual(['Zoe', 'zoltan']);
    expect(page.next).toBeUndefined();
    expect(sut.page('r', { q: 'z', limit: 2 }).next).toBeDefined();
  });

  it('should answer an empty room with an empty last page', () => {
    expect(setup([]).sut.page('r', {})).toEqual({ users: [] });
  });
});
