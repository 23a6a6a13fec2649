import type { ChatMessage } from '@chat/contracts';

/**
 * One term of a search: words that must appear next to each other (a single word is a phrase of
 * one), the last of them a prefix when it ended in `*`; `negated` leaves out what has it.
 * Words are lowercase letters and digits only (see search/search-terms.ts): nothing of the
 * user's text reaches an engine's query syntax, so FTS5 and to_tsquery can never fail on it.
 */
export interface SearchTerm {
  words: string[];
  prefix: boolean;
  negated: boolean;
}

/** One search, as the search feature asks the store (the terms already parsed and checked). */
export interface SearchRequest {
  terms: readonly SearchTerm[];
  /** The searcher: only rooms they may read are searched (their rooms, and public rooms they are not banned from). */
  viewer: string;
  room?: string;
  /** Messages by this user id, or by the account with this username (ignoring case). */
  from?: string;
  /** Messages sent before this ISO time. */
  beforeTime?: string;
  /** Messages with a smaller seq (meaningful with `room`). */
  beforeSeq?: number;
  /** The time age is measured from (ISO), fixed for all pages of one search so that the order holds. */
  now: string;
  offset: number;
  limit: number;
}

export interface SearchRow {
  /** In its latest state, with `me` on reactions for the viewer. */
  message: ChatMessage;
  /** The message's seq, or its thread root's for a reply. */
  aroundSeq: number;
}

/**
 * Full-text search over messages, kept in step with the room logs by the store that writes them
 * (same transaction). Of the matching messages the viewer may read, the newest
 * {@link SEARCH_CANDIDATES} are ranked, best first: the engine's relevance divided by
 * (1 + age in days / {@link RECENCY_DAYS}), then newest first. Deleted messages are never found.
 */
export interface MessageSearch {
  search(request: SearchRequest): Promise<SearchRow[]>;
}

/** Age at which a message's relevance counts half (30 days): last week's match beats last year's. */
export const RECENCY_DAYS = 30;

/**
 * How many matches (the newest) are ranked. Ranking every match of a common word read and
 * scored all of them: 1.2 s for a word in 150,000 of 200,000 messages on SQLite (see
 * docs/performance.md). Among that many matches, relevance hardly differs and age decides, so
 * the newest ones are the best ones; a narrower query (more words, room=, before=) reaches
 * further back.
 */
export const SEARCH_CANDIDATES = 2000;

/** Nest injection token for the configured {@link MessageSearch}. */
export const MESSAGE_SEARCH = Symbol('MessageSearch');
