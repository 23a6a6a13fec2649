import { z } from 'zod';
import { AttachmentSchema } from './attachments.js';

/** Room names: 1-32 characters, lowercase letters, digits, `_` and `-`, starting with a letter or digit. */
export const ROOM_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** The room that always exists and that simple-protocol clients live in. */
export const DEFAULT_ROOM = 'general';

/** Name given to anyone who does not choose one. */
export const DEFAULT_DISPLAY_NAME = 'Anonymous';

export const RoomNameSchema = z
  .string()
  .regex(
    ROOM_NAME_PATTERN,
    'room names are 1-32 characters of a-z, 0-9, "_" or "-", starting with a letter or digit',
  );

/** A position in a room's message sequence; 0 means "before the first message". */
export const SeqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Chosen by the client per outgoing message; makes `send` idempotent. */
export const ClientIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7e]+$/, 'clientId must be printable ASCII without spaces');

/** Control characters (C0, DEL, C1) are never allowed in display names. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A lone surrogate (half of a UTF-16 pair without the other half) is not text: it cannot be
 * encoded as UTF-8, and JSON escapes each into six bytes. In a `u` regex, `\p{Cs}` matches only
 * unpaired ones.
 */
const LONE_SURROGATE = /\p{Cs}/u;

/** Noncharacters: U+FDD0-U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF...). */
const NONCHARACTER = new RegExp(
  `[\\uFDD0-\\uFDEF${Array.from({ length: 17 }, (_, plane) => {
    const base = (plane * 0x10000 + 0xfffe).toString(16);
    return `\\u{${base}}\\u{${(plane * 0x10000 + 0xffff).toString(16)}}`;
  }).join('')}]`,
  'u',
);

/** True for text that is well-formed UTF-16 without noncharacters. */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text) && !NONCHARACTER.test(text);
}

const ILL_FORMED_MESSAGE = 'must not contain lone surrogates or noncharacters (such as U+FFFE, U+FFFF)';

export const DisplayNameSchema = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(32, 'name must be at most 32 characters')
  .refine((name) => !CONTROL_CHARACTERS.test(name), 'name must not contain control characters')
  .refine(isWellFormedText, `name ${ILL_FORMED_MESSAGE}`);

export const UserSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Guests are unauthenticated: the name is not reserved and may be used by anyone. */
  guest: z.boolean(),
  /**
   * Present (and true) only for a bot: an account run by the server or one of its modules, not
   * by a person. A bot never signs in and its name is reserved like a registered user's; a guest
   * is never a bot. Absent for everyone else.
   */
  bot: z.literal(true).optional(),
});
export type User = z.infer<typeof UserSchema>;

/**
 * Control characters allowed in message text: newline and tab. Every other one (C0, DEL, C1) is
 * refused: they show as nothing, can spoof a terminal, and JSON escapes each into six bytes
 * (`\u0001`), which is how a short text became a huge frame.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TEXT_CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

export const MessageTextSchema = z
  .string()
  .refine((text) => text.trim().length > 0, 'text must not be empty')
  // NUL has no place in chat text, and PostgreSQL cannot store it.
  .refine((text) => !text.includes('\u0000'), 'text must not contain NUL (\\u0000) characters')
  .refine(
    (text) => !TEXT_CONTROL_CHARACTERS.test(text),
    'text must not contain control characters other than newline (\\n) and tab (\\t)',
  )
  .refine(isWellFormedText, `text ${ILL_FORMED_MESSAGE}`);

/** A reaction: one emoji (a single grapheme cluster) of at most this many UTF-8 bytes. */
export const MAX_EMOJI_BYTES = 32;

/** How many characters of the original a reply's quote (`replyTo.text`) carries. */
export const REPLY_PREVIEW_CHARACTERS = 200;

/** One emoji on a message, with how many users put it there and whether you are one of them. */
export const ReactionSummarySchema = z.object({
  emoji: z.string(),
  count: z.number().int().min(1),
  /** You reacted with it. Computed per reader in pages; false in frames fanned out to a whole room. */
  me: z.boolean(),
});
export type ReactionSummary = z.infer<typeof ReactionSummarySchema>;

/** The quote a reply shows: the original's author and the start of its (latest) text. */
export const ReplyPreviewSchema = z.object({
  id: z.string(),
  user: UserSchema,
  /** The first REPLY_PREVIEW_CHARACTERS characters; empty when the original was deleted. */
  text: z.string(),
  deleted: z.literal(true).optional(),
});
export type ReplyPreview = z.infer<typeof ReplyPreviewSchema>;

/**
 * A thread's summary. On a root (a message without `threadId`): its replies so far. On a reply
 * (with `threadId`): its thread's summary as of that reply, so a client can bring the root it
 * holds up to date from any reply (keep the larger `replyCount`). Deleted replies still count.
 */
export const ThreadSummarySchema = z.object({
  replyCount: z.number().int().min(0),
  lastReplyAt: z.iso.datetime().nullable(),
});
export type ThreadSummary = z.infer<typeof ThreadSummarySchema>;

/** A stored chat message as every client sees it. */
export const ChatMessageSchema = z.object({
  /** Globally unique. */
  id: z.string(),
  room: RoomNameSchema,
  /** 1, 2, 3, ... per room: no gaps, no repeats. */
  seq: SeqSchema,
  /** Present when the sender supplied one; lets the sender match the message to its pending copy. */
  clientId: ClientIdSchema.optional(),
  user: UserSchema,
  text: z.string(),
  /** ISO-8601 UTC, assigned by the server. */
  time: z.iso.datetime(),
  /** When the author last edited it (the text is then the edited one). */
  editedAt: z.iso.datetime().optional(),
  /** A tombstone: the message was deleted; `text` is empty and it has no reactions. */
  deleted: z.literal(true).optional(),
  /** Absent when nobody reacted. */
  reactions: z.array(ReactionSummarySchema).optional(),
  /** The message this one answers (same room), quoted. */
  replyTo: ReplyPreviewSchema.optional(),
  /** The id of the thread's root message, on a reply in a thread. */
  threadId: z.string().optional(),
  /** See ThreadSummarySchema: on a root that has replies, and on every reply. */
  thread: ThreadSummarySchema.optional(),
  /** Ids of the room's members that the text mentions (`@username`), resolved when it was stored. */
  mentions: z.array(z.string()).optional(),
  /** Files (POST /api/uploads) on the message, in the sender's order; absent without any, and on a tombstone. */
  attachments: z.array(AttachmentSchema).optional(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;
