import { z } from 'zod';
import { ClientIdSchema, MessageTextSchema, RoomNameSchema, SeqSchema } from './common.js';

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
});
export type Send = z.infer<typeof SendSchema>;

export const HISTORY_MAX_LIMIT = 100;
export const HISTORY_DEFAULT_LIMIT = 50;

export const HistoryRequestSchema = z.object({
  room: RoomNameSchema,
  /** Only messages with a smaller seq; omitted means "from the newest". */
  before: SeqSchema.optional(),
  limit: z.number().int().min(1).max(HISTORY_MAX_LIMIT).optional(),
});
export type HistoryRequest = z.infer<typeof HistoryRequestSchema>;

export const TypingSchema = z.object({ room: RoomNameSchema });
export type Typing = z.infer<typeof TypingSchema>;

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
  history: HistoryRequestSchema,
  typing: TypingSchema,
  ping: PingSchema,
} as const;

export type ClientEventName = keyof typeof clientEventSchemas;
export type ClientEventMap = { [E in ClientEventName]: z.infer<(typeof clientEventSchemas)[E]> };
export const CLIENT_EVENT_NAMES = Object.keys(clientEventSchemas) as ClientEventName[];

export function isClientEventName(name: unknown): name is ClientEventName {
  return typeof name === 'string' && Object.hasOwn(clientEventSchemas, name);
}
