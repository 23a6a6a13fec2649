import { z } from 'zod';
import { ClientIdSchema, MessageTextSchema, RoomNameSchema, SeqSchema } from './common.js';
import { EmojiSchema, MessageIdSchema } from './conversations.js';

export const JoinSchema = z.object({
  room: RoomNameSchema,
  /** Resume: deliver every message with a greater seq. Without it: the latest page. */
  since: SeqSchema.optional(),
});
export type Join = z.infer<typeof JoinSchema>;

export const LeaveSchema = z.object({ room: RoomNameSchema });
export type Leave = z.infer<typeof LeaveSchema>;

export const SendSchema = z.object({
  room: RoomNameSchema,
  text: MessageTextSchema,
  clientId: ClientIdSchema,
  /** The id of a message of the same room that this one answers (shown quoted). */
  replyTo: MessageIdSchema.optional(),
  /** The id of a thread's root message (a message of the same room that is not itself a reply in a thread). */
  threadId: MessageIdSchema.optional(),
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

export const HistoryRequestSchema = z.object({
  room: RoomNameSchema,
  /** Only messages with a smaller seq; omitted means "from the newest". */
  before: SeqSchema.optional(),
  limit: z.number().int().min(1).max(HISTORY_MAX_LIMIT).optional(),
  /** Pages one thread: that root's replies (the root itself is not included). */
  threadId: MessageIdSchema.optional(),
});
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
