import { z } from 'zod';
import { ChatMessageSchema, DisplayNameSchema, RoomNameSchema, UserSchema } from './common.js';
import { ErrorCodeSchema } from './errors.js';
import { RoomKindSchema } from './conversations.js';
import { HISTORY_MAX_LIMIT } from './client-events.js';

/** Account names: 3-32 characters of letters, digits, `_`, `.` and `-`; unique ignoring case. */
export const UsernameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, 'usernames are 3-32 characters of letters, digits, "_", "." or "-"');

export const PasswordSchema = z
  .string()
  .min(8, 'passwords need at least 8 characters')
  .max(128, 'passwords may have at most 128 characters');

export const RegisterRequestSchema = z.object({ username: UsernameSchema, password: PasswordSchema });
export type RegisterRequest = z.infer<typeof RegisterRequestSchema>;

/** Login does not re-check the rules a password was created under, only that it matches. */
export const LoginRequestSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(128),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/**
 * Body of POST /api/auth/password. The new password follows the same rules as at registration;
 * on success every earlier token of the account stops working (the answer carries a new one).
 */
export const ChangePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(128),
  newPassword: PasswordSchema,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>;

export const GuestRequestSchema = z.object({ name: DisplayNameSchema });
export type GuestRequest = z.infer<typeof GuestRequestSchema>;

/** Answer of register, login and guest. The token is also set as an HttpOnly cookie. */
export const AuthResponseSchema = z.object({ token: z.string(), user: UserSchema });
export type AuthResponse = z.infer<typeof AuthResponseSchema>;

/**
 * Answer of GET /api/session: who this request is signed in as, `user: null` without a valid
 * session. Always 200: "nobody yet" is an answer, not an error (a browser logs every 401 in red).
 */
export const SessionResponseSchema = z.object({ user: UserSchema.nullable() });
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

/** A room of the public directory (GET /api/rooms): private rooms and DMs are never listed. */
export const RoomSummarySchema = z.object({
  name: RoomNameSchema,
  kind: RoomKindSchema,
  topic: z.string().optional(),
  memberCount: z.number().int().min(0),
  /** Distinct users with at least one connection in the room right now. */
  online: z.number().int(),
  /** Time of the newest message, or null for a room without messages. */
  lastActivity: z.iso.datetime().nullable(),
  lastSeq: z.number().int(),
});
export type RoomSummary = z.infer<typeof RoomSummarySchema>;

export const ROOMS_PAGE_DEFAULT_LIMIT = 100;
export const ROOMS_PAGE_MAX_LIMIT = 200;

/** Query of GET /api/rooms: rooms by name, `limit` at a time, after the `cursor` of the previous page. */
export const RoomsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(ROOMS_PAGE_MAX_LIMIT).optional(),
    /** The previous page's `nextCursor`. */
    cursor: RoomNameSchema.optional(),
    /** Only rooms whose name starts with this (a prefix search). */
    q: z.string().max(32).optional(),
  })
  .strict();
export type RoomsQuery = z.infer<typeof RoomsQuerySchema>;

export const RoomListSchema = z.object({
  rooms: z.array(RoomSummarySchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: RoomNameSchema.nullable(),
});
export type RoomList = z.infer<typeof RoomListSchema>;

/** Query of GET /api/rooms/:room/messages (values arrive as strings; unknown parameters are refused). */
export const MessagesQuerySchema = z
  .object({
    before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    /** As `history {after}`: the oldest messages past this seq. */
    after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    /** As `history {around}`: a page centred on this seq (a jump to a message). */
    around: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z.coerce.number().int().min(1).max(HISTORY_MAX_LIMIT).optional(),
    /** Pages one thread's replies. */
    threadId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine(
    (query) => [query.before, query.after, query.around].filter((seq) => seq !== undefined).length <= 1,
    { message: 'one of before, after and around', path: ['around'] },
  );
export type MessagesQuery = z.infer<typeof MessagesQuerySchema>;

export const MessagesPageSchema = z.object({
  room: RoomNameSchema,
  /** Oldest first. */
  messages: z.array(ChatMessageSchema),
  hasMore: z.boolean(),
  /** With `after` or `around`: newer messages exist after the last one (as in a `history` page). */
  hasNewer: z.boolean().optional(),
  around: z.number().int().optional(),
  after: z.number().int().optional(),
});
export type MessagesPage = z.infer<typeof MessagesPageSchema>;

/** Body of every HTTP error answer. */
export const HttpErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /**
   * With 429 from a quota, or a 409 for an Idempotency-Key still in flight: milliseconds until a
   * retry can succeed (also in `Retry-After`, in seconds).
   */
  retryAfterMs: z.number().int().min(0).optional(),
});
export type HttpError = z.infer<typeof HttpErrorSchema>;
