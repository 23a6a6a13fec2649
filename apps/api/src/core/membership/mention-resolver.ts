import { Inject, Injectable } from '@nestjs/common';
import type { User } from '@chat/contracts';
import { MEMBERSHIP_STORE, type MembershipStore } from '../../storage/membership-store.js';

/** `@name` where name is a username's characters, not preceded by a word character (an e-mail address). */
const MENTION = /(?<![\w.@-])@([A-Za-z0-9_.-]{3,32})/g;
/** A message cannot mention more people than this (the rest is text): bounds the lookup. */
const MAX_MENTIONS = 50;

/** Turns `@username` in a message into the ids of the room's members it names. */
@Injectable()
export class MentionResolver {
  constructor(@Inject(MEMBERSHIP_STORE) private readonly store: MembershipStore) {}

  /** Member ids mentioned in `text`, the author excepted; empty (and no query) without an `@`. */
  async resolve(room: string, author: User, text: string): Promise<string[]> {
    if (!text.includes('@')) return [];
    const names = new Set<string>();
    for (const match of text.matchAll(MENTION)) {
      // A trailing dot is the sentence's, not the name's ("thanks @bob.").
      const name = (match[1] ?? '').replace(/\.+$/, '');
      if (name.length >= 3) names.add(name.toLowerCase());
      if (names.size >= MAX_MENTIONS) break;
    }
    if (names.size === 0) return [];
    const ids = await this.store.membersNamed(room, [...names]);
    return ids.filter((id) => id !== author.id);
  }
}
