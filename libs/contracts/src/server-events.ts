import { z } from 'zod';
import { ChatMessageSchema, ClientIdSchema, RoomNameSchema, SeqSchema, UserSchema } from './common.js';
import { ErrorPayloadSchema } from './errors.js';
import {
  MemberEventSchema,
  MentionSchema,
  MessageDeletedSchema,
  MessageEditedSchema,
  ReactionEventSchema,
  ReadMarkerSchema,
  RoomAddedSchema,
  RoomChangeSchema,
  RoomsSnapshotSchema,
} from './conversations.js';

/**
 * Limits the server enforces on this connection, so clients can respect them up front. Rates are
 * token buckets: `burst` at once, then `ratePerSec`. Going over a rate is never refused: the
 * server reads the connection more slowly (TCP backpressure), so a client that paces itself by
 * these figures simply never waits. This server sends every field; the ones marked optional
 * are newer than the protocol's first version, so clients accept a server without them.
 */
export const LimitsSchema = z.object({
  /** Characters (Unicode code points) of a message's text. */
  maxTextLength: z.number().int(),
  /** Bytes of one client frame; a larger one closes the connection with 1009. */
  maxFrameBytes: z.number().int(),
  /** Bytes of the largest frame the server sends (a `joined` or `history` page is cut to fit). */
  maxServerFrameBytes: z.number().int().optional(),
  /** `send` (and simple-protocol messages) per second; 0 means unlimited. */
  sendRatePerSec: z.number(),
  sendBurst: z.number().int(),
  /** Frames of any kind (WebSocket pings included) per second; 0 means unlimited. */
  frameRatePerSec: z.number().optional(),
  frameBurst: z.number().int().optional(),
  /** Sends waiting for their `ack`; past it the server reads no further frames until one is acked. */
  maxUnackedSends: z.number().int().optional(),
  /** 0 means unlimited. */
  maxRoomsPerConnection: z.number().int(),
  heartbeatMs: z.number().int(),
  /**
   * Bytes of live traffic the server queues for a connection that reads slowly; past it the
   * connection is closed with 1013.
   */
  maxQueuedBytes: z.number().int().optional(),
  /** Bytes of messages in one `joined` or `history` page (a longer history is paged). */
  maxPageBytes: z.number().int().optional(),
  /**
   * A room with more users online than this is a big room: you get `presence.count` instead of
   * the `presence` list and diffs, and page through who is online with `presence.list`.
   */
  presenceListMax: z.number().int().optional(),
  /**
   * Quotas per user and per client address (IPv6: per /64), over all connections and
   * instances; 0 means unlimited. Past one, the request gets `rate_limited` with `retryAfterMs`.
   */
  quotas: z
    .object({
      sendsPerMinutePerUser: z.number().int(),
      sendsPerMinutePerIp: z.number().int(),
      roomsPerHourPerUser: z.number().int(),
      roomsPerHourPerIp: z.number().int(),
      readsPerMinutePerUser: z.number().int(),
      readsPerMinutePerIp: z.number().int(),
    })
    .optional(),
});
export type Limits = z.infer<typeof LimitsSchema>;

export const WelcomeSchema = z.object({
  connectionId: z.string(),
  user: UserSchema,
  serverTime: z.iso.datetime(),
  limits: LimitsSchema,
});
export type Welcome = z.infer<typeof WelcomeSchema>;

export const JoinedSchema = z.object({
  room: RoomNameSchema,
  /** The room's newest seq at the time of joining (0 for an empty room). */
  lastSeq: SeqSchema,
  /** Oldest first. */
  messages: z.array(ChatMessageSchema),
  /** More (older, or for a resume: missed) messages exist than were sent; page with `history`. */
  hasMore: z.boolean(),
  /**
   * Present (true) when `since` was beyond the room's `lastSeq`: the room's history was reset
   * on the server. Drop what you hold for the room and keep this page (the latest) instead.
   */
  reset: z.literal(true).optional(),
  /**
   * With `since`: the changes (edits, deletes, reactions, membership) after `since` to what you
   * held, in seq order, each once; apply them as if they had arrived live. Messages in
   * `messages` are already in their latest state. Absent when there are none.
   */
  changes: z.array(RoomChangeSchema).optional(),
});
export type Joined = z.infer<typeof JoinedSchema>;

export const LeftSchema = z.object({ room: RoomNameSchema });
export type Left = z.infer<typeof LeftSchema>;

export const AckSchema = z.object({
  clientId: ClientIdSchema,
  id: z.string(),
  seq: SeqSchema,
  room: RoomNameSchema,
  time: z.iso.datetime(),
});
export type Ack = z.infer<typeof AckSchema>;

export const HistoryPageSchema = z.object({
  room: RoomNameSchema,
  /** Oldest first. */
  messages: z.array(ChatMessageSchema),
  /** Older messages exist before the first one of this page. */
  hasMore: z.boolean(),
  /** Echoed from a `history {threadId}` request: the page holds that thread's replies. */
  threadId: z.string().optional(),
  /**
   * Only on pages asked for with `after` or `around` (which are not the room's newest): newer
   * messages exist after the last one of this page; page on with `history {after: <its seq>}`.
   */
  hasNewer: z.boolean().optional(),
  /** Echoed from a `history {around}` request (the seq asked for: it may be an edit's, not a message's). */
  around: SeqSchema.optional(),
  /** Echoed from a `history {after}` request. */
  after: SeqSchema.optional(),
});
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

export const TypingNoticeSchema = z.object({ room: RoomNameSchema, user: UserSchema });
export type TypingNotice = z.infer<typeof TypingNoticeSchema>;

export const PongSchema = z.object({ t: z.number().optional(), serverTime: z.iso.datetime() });
export type Pong = z.infer<typeof PongSchema>;

export const PresenceSchema = z.object({
  room: RoomNameSchema,
  users: z.array(UserSchema),
  /**
   * Present (true) when the list goes on in the next `presence` frame: a room too big for one
   * frame sends its list in parts. Add each part's users to the previous ones.
   */
  more: z.literal(true).optional(),
});
export type Presence = z.infer<typeof PresenceSchema>;

export const PresenceDiffSchema = z.object({
  room: RoomNameSchema,
  joined: z.array(UserSchema),
  left: z.array(UserSchema),
});
export type PresenceDiff = z.infer<typeof PresenceDiffSchema>;

/**
 * A big room (more than `limits.presenceListMax` online): how many users are online in it,
 * yourself included. Sent instead of `presence` after your `joined`, then to every member while
 * the number changes: at most once a second (every `online` ms past 1,000 online, up to 10 s).
 * No `presence.diff` follows in a big room.
 */
export const PresenceCountSchema = z.object({
  room: RoomNameSchema,
  online: z.number().int().nonnegative(),
});
export type PresenceCount = z.infer<typeof PresenceCountSchema>;

/**
 * The answer to `presence.list`: up to `limit` users online in the room, ordered by name
 * (case-insensitively, then by id), after the request's cursor. `next` is the cursor of the
 * following page; absent on the last one. `online` is the room's count at the time.
 */
export const PresencePageSchema = z.object({
  room: RoomNameSchema,
  users: z.array(UserSchema),
  online: z.number().int().nonnegative(),
  next: z.string().optional(),
  /** Echoed from the request: the page holds only users whose name contains it. */
  q: z.string().optional(),
});
export type PresencePage = z.infer<typeof PresencePageSchema>;

/**
 * Something the server tells one client that is not a chat message and is not stored: the answer
 * to a slash command such as `/help`. With `clientId`, it settles that pending `send` (no `ack`
 * follows: nothing was stored).
 */
export const NoticeSchema = z.object({
  room: RoomNameSchema,
  text: z.string(),
  clientId: ClientIdSchema.optional(),
});
export type Notice = z.infer<typeof NoticeSchema>;

/**
 * You are no longer in this room: you `left` it (on any of your connections), or were `kicked`
 * or `banned` by an owner or moderator. Sent to every connection of yours; nothing more of the
 * room arrives. After a kick you may join a public room again; after a ban you may not.
 */
export const RoomRemovedSchema = z.object({
  room: RoomNameSchema,
  reason: z.enum(['left', 'kicked', 'banned']),
});
export type RoomRemoved = z.infer<typeof RoomRemovedSchema>;

/** Server-to-client events of protocol chat.v1: event name -> schema of `data`. */
export const serverEventSchemas = {
  welcome: WelcomeSchema,
  joined: JoinedSchema,
  left: LeftSchema,
  ack: AckSchema,
  message: ChatMessageSchema,
  history: HistoryPageSchema,
  typing: TypingNoticeSchema,
  pong: PongSchema,
  presence: PresenceSchema,
  'presence.diff': PresenceDiffSchema,
  'presence.count': PresenceCountSchema,
  'presence.page': PresencePageSchema,
  notice: NoticeSchema,
  'room.removed': RoomRemovedSchema,
  'message.edited': MessageEditedSchema,
  'message.deleted': MessageDeletedSchema,
  reaction: ReactionEventSchema,
  member: MemberEventSchema,
  rooms: RoomsSnapshotSchema,
  'room.added': RoomAddedSchema,
  read: ReadMarkerSchema,
  mention: MentionSchema,
  error: ErrorPayloadSchema,
} as const;

export type ServerEventName = keyof typeof serverEventSchemas;
export type ServerEventMap = { [E in ServerEventName]: z.infer<(typeof serverEventSchemas)[E]> };
