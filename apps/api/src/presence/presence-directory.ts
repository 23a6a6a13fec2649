import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PRESENCE_PAGE_DEFAULT_LIMIT, type User } from '@chat/contracts';
import { PresenceService } from './presence.service.js';

export interface DirectoryQuery {
  /** The `next` of the previous page. */
  after?: string;
  limit?: number;
  /** Only users whose name contains this, case-insensitively. */
  q?: string;
}

export interface DirectoryPage {
  users: User[];
  /** Where the next page starts; absent on the last page. */
  next?: string;
}

interface Sorted {
  keys: string[];
  users: User[];
}

/** The order of the list: by name case-insensitively, then by id (names are not unique). */
const sortKey = (user: User) => `${user.name.toLowerCase()}\u0000${user.id}`;

/**
 * Who is online in a room, a page at a time, for big rooms whose presence goes out as counts.
 * Pages are cut by keyset (the cursor is the last user's place in the order, opaque to
 * clients), so a user online throughout the paging is on exactly one page however others come
 * and go meanwhile. A room's sorted list is built when asked for and kept until its presence
 * changes: paging a quiet room sorts it once.
 */
@Injectable()
export class PresenceDirectory implements OnModuleDestroy {
  private readonly sorted = new Map<string, Sorted>();
  private readonly stop: () => void;

  constructor(private readonly presence: PresenceService) {
    this.stop = presence.onChange(({ room }) => this.sorted.delete(room));
  }

  onModuleDestroy(): void {
    this.stop();
  }

  page(room: string, { after, limit = PRESENCE_PAGE_DEFAULT_LIMIT, q }: DirectoryQuery): DirectoryPage {
    const { keys, users } = this.sortedOf(room);
    const needle = q?.toLowerCase();
    const start = after === undefined ? 0 : firstAfter(keys, decodeCursor(after));
    const matches = (user: User) => needle === undefined || user.name.toLowerCase().includes(needle);
    const page: User[] = [];
    let i = start;
    for (; i < users.length && page.length < limit; i++) if (matches(users[i]!)) page.push(users[i]!);
    const lastKey = keys[i - 1];
    // A full page has a successor only when another match follows it.
    while (i < users.length && !matches(users[i]!)) i++;
    const more = page.length === limit && i < users.length;
    return { users: page, ...(more && { next: encodeCursor(lastKey!) }) };
  }

  private sortedOf(room: string): Sorted {
    let sorted = this.sorted.get(room);
    if (!sorted) {
      const entries = this.presence
        .users(room)
        .map((user) => ({ key: sortKey(user), user }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      sorted = { keys: entries.map((e) => e.key), users: entries.map((e) => e.user) };
      // Nobody online: nothing worth keeping (and no change will come to drop it).
      if (sorted.users.length > 0) this.sorted.set(room, sorted);
    }
    return sorted;
  }
}

/** The index of the first key greater than `key` (binary search). */
function firstAfter(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle]! <= key) low = middle + 1;
    else high = middle;
  }
  return low;
}

function encodeCursor(key: string): string {
  return Buffer.from(key).toString('base64url');
}

function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString();
}
