import { z } from 'zod';
import { DEFAULT_DISPLAY_NAME, DisplayNameSchema, MessageTextSchema } from './common.js';

/**
 * The simple protocol (no subprotocol): what the minimal chat example sends.
 * A blank or missing name becomes `Anonymous`. `name` is used only for guests (no token): a
 * connection signed in with an account always posts under its username.
 */
export const SimpleInSchema = z.object({
  name: z.preprocess(
    (name) => (typeof name === 'string' && name.trim() === '' ? undefined : name),
    DisplayNameSchema.default(DEFAULT_DISPLAY_NAME),
  ),
  message: MessageTextSchema,
});
export type SimpleIn = z.infer<typeof SimpleInSchema>;

/** What every simple client receives for each message in room `general`. */
export const SimpleOutSchema = z.object({
  name: z.string(),
  message: z.string(),
  /** Server local time, HH:MM:SS. */
  time: z.string().regex(/^\d{2}:\d{2}:\d{2}$/),
  id: z.string().optional(),
  seq: z.number().optional(),
  room: z.string().optional(),
  /**
   * True when the sender is a guest: a guest names itself (per message, on the simple protocol),
   * so its name proves nothing. False for a signed-in account, whose name is its username.
   */
  guest: z.boolean().optional(),
});
export type SimpleOut = z.infer<typeof SimpleOutSchema>;

/**
 * What a simple client receives when its frame is refused. It has the shape of a message
 * (so the example's client shows it) plus an `error` field that tools can test for.
 */
export const SimpleErrorSchema = SimpleOutSchema.extend({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type SimpleError = z.infer<typeof SimpleErrorSchema>;
