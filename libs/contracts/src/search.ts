import { z } from 'zod';
import { ChatMessageSchema, RoomNameSchema, SeqSchema } from './common.js';

/** Longest `q` (characters) and most words of it the server searches for. */
export const SEARCH_QUERY_MAX_LENGTH = 200;
export const SEARCH_MAX_TERMS = 16;
export const SEARCH_DEFAULT_LIMIT = 20;
export const SEARCH_MAX_LIMIT = 50;

/**
 * Query of GET /api/search (values arrive as strings; unknown parameters are refused).
 * `q` is words (all must match), `"quoted phrases"`, `-word` to leave out, and `word*` for a
 * prefix (3 letters or more); case does not count, accents do. `from` is a sender's account
 * username or user id; `before` an ISO time (messages sent before it) or, with `room`, a seq
 * (messages below it).
 */
export const SearchQuerySchema = z
  .object({
    q: z.string().trim().min(1, 'say what to search for').max(SEARCH_QUERY_MAX_LENGTH),
    room: RoomNameSchema.optional(),
    from: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[^\p{Cc}]+$/u, 'a user id or username, without control characters')
      .optional(),
    before: z.string().min(1).max(40).optional(),
    limit: z.coerce.number().int().min(1).max(SEARCH_MAX_LIMIT).optional(),
    /** The previous answer's `next`, with the same other parameters. */
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();
export type SearchQuery = z.infer<typeof SearchQuerySchema>;

/** [start, end) of a matched word in `snippet`, in UTF-16 code units (JavaScript string indexes). */
export const HighlightSchema = z.tuple([z.number().int().min(0), z.number().int().min(0)]);
export type Highlight = z.infer<typeof HighlightSchema>;

export const SearchHitSchema = z.object({
  room: RoomNameSchema,
  /** The message in its latest state (edited text; deleted messages are never found). */
  message: ChatMessageSchema,
  /**
   * Plain text around the first match (never HTML: render it as text), `…` where it was cut.
   * Mark the `highlights` ranges (e.g. as <mark> elements built from the ranges, not from markup).
   */
  snippet: z.string(),
  highlights: z.array(HighlightSchema),
  /** The seq to open the room at (`history {room, around}`): the message's, or its thread root's for a reply. */
  aroundSeq: SeqSchema,
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SearchResultsSchema = z.object({
  /** Best first: relevance weighed with age (see the protocol's search section). */
  results: z.array(SearchHitSchema),
  /** Pass as `cursor` (with the same q, room, from, before, limit) for the next results; absent on the last page. */
  next: z.string().optional(),
});
export type SearchResults = z.infer<typeof SearchResultsSchema>;
