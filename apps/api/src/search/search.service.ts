import { Inject, Injectable } from '@nestjs/common';
import { SEARCH_DEFAULT_LIMIT, type SearchQuery, type SearchResults, type User } from '@chat/contracts';
import { BadRequestError } from '../common/errors/chat-errors.js';
import { MembershipPermissions } from '../core/membership/membership-permissions.js';
import { MESSAGE_SEARCH, type MessageSearch } from '../storage/message-search.js';
import { decodeCursor, encodeCursor, SEARCH_MAX_DEPTH } from './search-cursor.js';
import { parseSearchTerms } from './search-terms.js';
import { buildSnippet } from './snippet.js';

/**
 * Searches what the user may read: their rooms and the public rooms they are not banned from.
 * A `room` they may not read is refused as `history` refuses it (404 for a private room, the
 * same as for one that does not exist), so a search cannot tell that it exists.
 */
@Injectable()
export class SearchService {
  constructor(
    @Inject(MESSAGE_SEARCH) private readonly index: MessageSearch,
    private readonly permissions: MembershipPermissions,
  ) {}

  async search(user: User, query: SearchQuery): Promise<SearchResults> {
    const terms = parseSearchTerms(query.q);
    const cursor = query.cursor ? decodeCursor(query.cursor) : { offset: 0, now: new Date().toISOString() };
    const before = parseBefore(query.before, query.room);
    if (query.room !== undefined) await this.permissions.readable(query.room, user);
    const limit = Math.min(query.limit ?? SEARCH_DEFAULT_LIMIT, SEARCH_MAX_DEPTH - cursor.offset);
    if (limit <= 0) return { results: [] };
    // One more than asked says whether there is a next page.
    const rows = await this.index.search({
      terms,
      viewer: user.id,
      ...(query.room !== undefined && { room: query.room }),
      ...(query.from !== undefined && { from: query.from }),
      ...before,
      now: cursor.now,
      offset: cursor.offset,
      limit: limit + 1,
    });
    const results = rows.slice(0, limit).map(({ message, aroundSeq }) => ({
      room: message.room,
      message,
      ...buildSnippet(message.text, terms),
      aroundSeq,
    }));
    const offset = cursor.offset + limit;
    return rows.length > limit && offset < SEARCH_MAX_DEPTH
      ? { results, next: encodeCursor({ offset, now: cursor.now }) }
      : { results };
  }
}

/** `before`: a seq when it is a whole number (with `room`: seqs are per room), else a time. */
function parseBefore(
  before: string | undefined,
  room: string | undefined,
): { beforeSeq?: number; beforeTime?: string } {
  if (before === undefined) return {};
  if (/^\d+$/.test(before)) {
    if (room === undefined)
      throw new BadRequestError('before: a seq bound needs room= (seqs count per room)');
    const seq = Number(before);
    if (!Number.isSafeInteger(seq)) throw new BadRequestError('before: that seq is out of range');
    return { beforeSeq: seq };
  }
  const time = Date.parse(before);
  if (Number.isNaN(time))
    throw new BadRequestError('before: an ISO time (2026-11-24T12:00:00Z) or, with room=, a seq');
  return { beforeTime: new Date(time).toISOString() };
}
