import { z } from 'zod';
import { ClientIdSchema, MessageTextSchema, RoomNameSchema, SeqSchema } from './common.js';
import { EmojiSchema, MessageIdSchema } from './conversations.js';
import { AttachmentIdSchema, MAX_ATTACHMENTS } from './attachments.js';

export const JoinSchema = z.object({
  room: RoomNameSchema,
  /** Resume: deliver every message with a greater seq. Without it: the latest page. */
  since: SeqSchema.optional(),
});
export type Join = z.infer<typeof JoinSchema>;

export const LeaveSchema = z.object({ room: RoomNameSchema });
export type Leave = z.infer<typeof LeaveSchema>;

export const SendSchema = z
  .object({
    room: RoomNameSchema,
    /** May be '' when the message carries attachments. */
    text: z.union([MessageTextSchema, z.literal('')]),
    clientId: ClientIdSchema,
    /** The id of a message of the same room that this one answers (shown quoted). */
    replyTo: MessageIdSchema.optional(),
    /** The id of a thread's root message (a message of the same room that is not itself a reply in a thread). */
    threadId: MessageIdSchema.optional(),
    /** Ids of your own uploads (POST /api/uploads) not yet on any message, in the order to show them. */
    attachments: z
      .array(AttachmentIdSchema)
      .min(1)
      .max(MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} attachments per message`)
      .refine((ids) => new Set(ids).size === ids.length, 'attachments must not repeat an id')
      .optional(),
  })
  .refine((send) => send.text !== '' || send.attachments !== undefined, {
    message: 'text must not be empty',
    path: ['text'],
  });
export type Send = z.infer<typeof SendSchema>;

/** Replaces the text of your own message; answered with `ack` (seq: the edit's own seq). */
export const EditSchema = z.object({
  room: RoomNameSchema,
  id: MessageIdSchema,
  text: MessageTextSchema,
  clientId: ClientIdSchema,
});
export type Edit = z.infer<typeof EditSchema>;

/** Deletes a message (yours, or anyone's as an owner or moderator); answered with `ack`. */
export const DeleteSchema = z.object({
  room: RoomNameSchema,
  id: MessageIdSchema,
  clientId: ClientIdSchema,
});
export type Delete = z.infer<typeof DeleteSchema>;

/** Puts (`on: true`) or takes back (`on: false`) your reaction; answered with `ack`. */
export const ReactSchema = z.object({
  room: RoomNameSchema,
  id: MessageIdSchema,
  emoji: EmojiSchema,
  on: z.boolean(),
  clientId: ClientIdSchema,
});
export type React = z.infer<typeof ReactSchema>;

/** Moves your read marker of `room` forward to `seq` (a lower value is ignored). No answer. */
export const ReadSchema = z.object({ room: RoomNameSchema, seq: SeqSchema });
export type Read = z.infer<typeof ReadSchema>;

export const HISTORY_MAX_LIMIT = 100;
export const HISTORY_DEFAULT_LIMIT = 50;

export const HistoryRequestSchema = z
  .object({
    room: RoomNameSchema,
    /** Only messages with a smaller seq; omitted means "from the newest". */
    before: SeqSchema.optional(),
    /** Paging forward: the oldest `limit` messages with a greater seq (the answer says `hasNewer`). */
    after: SeqSchema.optional(),
    /**
     * Jumping to a message: a page centred on this seq (about half the page before it, the rest
     * from it on), to page from both ways (`before` its first seq, `after` its last).
     */
    around: SeqSchema.optional(),
    limit: z.number().int().min(1).max(HISTORY_MAX_LIMIT).optional(),
    /** Pages one thread: that root's replies (the root itself is not included). */
    threadId: MessageIdSchema.optional(),
  })
  .refine(
    (request) =>
      [request.before, request.after, request.around].filter((seq) => seq !== undefined).length <= 1,
    { message: 'history takes one of before, after and around', path: ['around'] },
  );
export type HistoryRequest = z.infer<typeof HistoryRequestSchema>;

export const TypingSchema = z.object({ room: RoomNameSchema });
export type Typing = z.infer<typeof TypingSchema>;

export const PRESENCE_PAGE_MAX_LIMIT = 100;
export const PRESENCE_PAGE_DEFAULT_LIMIT = 50;

/**
 * Asks who is online in a room you are in, a page at a time (answered with `presence.page`):
 * any room, but meant for big ones, whose presence comes as counts.
 */
export const PresenceListSchema = z.object({
  room: RoomNameSchema,
  /** The `next` of the previous page; omitted for the first. */
  after: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(PRESENCE_PAGE_MAX_LIMIT).optional(),
  /** Only users whose name contains this (case-insensitively). */
  q: z.string().trim().min(1).max(64).optional(),
});
export type PresenceList = z.infer<typeof PresenceListSchema>;

export const PingSchema = z.object({
  /** Echoed back in `pong`; clients usually put their clock here to measure round trips. */
  t: z.number().finite().optional(),
});
export type Ping = z.infer<typeof PingSchema>;

/** Client-to-server events of protocol chat.v1: event name -> schema of `data`. */
export const clientEventSchemas = {
  join: JoinSchema,
  leave: LeaveSchema,
  send: SendSchema,
  edit: EditSchema,
  delete: DeleteSchema,
  react: ReactSchema,
  read: ReadSchema,
  history: HistoryRequestSchema,
  typing: TypingSchema,
  ping: PingSchema,
  'presence.list': PresenceListSchema,
} as const;

export type ClientEventName = keyof typeof clientEventSchemas;
export type ClientEventMap = { [E in ClientEventName]: z.infer<(typeof clientEventSchemas)[E]> };
export const CLIENT_EVENT_NAMES = Object.keys(clientEventSchemas) as ClientEventName[];

export function isClientEventName(name: unknown): name is ClientEventName {
  return typeof name === 'string' && Object.hasOwn(clientEventSchemas, name);
}
