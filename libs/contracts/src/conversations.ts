import { z } from 'zod';
import { MAX_EMOJI_BYTES, RoomNameSchema, SeqSchema, UserSchema } from './common.js';

// Rooms that belong to people and messages that change: the names and shapes of the second layer
// (docs/protocol.md, "Conversations"). Every change to a room is an event of its log with its own seq.

/** A message id as the server assigns it (a UUID); bounded so that a hostile id costs nothing. */
export const MessageIdSchema = z.string().min(1).max(64);

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;

/** UTF-8 length of well-formed text, without an encoder (this package runs in browsers and Node alike). */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const point = char.codePointAt(0) ?? 0;
    bytes += point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** True for a single emoji: one grapheme cluster that is pictographic (or a flag, or a keycap). */
export function isSingleEmoji(text: string): boolean {
  if (utf8Bytes(text) > MAX_EMOJI_BYTES) return false;
  const [first, second] = graphemes.segment(text);
  return first !== undefined && second === undefined && PICTOGRAPHIC.test(text);
}

export const EmojiSchema = z
  .string()
  .min(1)
  .max(MAX_EMOJI_BYTES)
  .refine(isSingleEmoji, `a reaction is one emoji (a single grapheme, at most ${MAX_EMOJI_BYTES} bytes)`);

export const RoomKindSchema = z.enum(['public', 'private', 'dm']);
export type RoomKind = z.infer<typeof RoomKindSchema>;

export const RoomRoleSchema = z.enum(['owner', 'moderator', 'member']);
export type RoomRole = z.infer<typeof RoomRoleSchema>;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TOPIC_CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export const RoomTopicSchema = z
  .string()
  .trim()
  .max(250, 'a topic has at most 250 characters')
  .refine((topic) => !TOPIC_CONTROL_CHARACTERS.test(topic), 'a topic must not contain control characters');

/** A room as the server reports it to one of its members; the counts are that member's. */
/**
 * `unread` and `mentions` are counted up to this many (show "999+" at it): counting further would
 * cost every connection of someone who never reads a busy room a read of all of it.
 */
export const UNREAD_COUNT_MAX = 1000;

export const RoomInfoSchema = z.object({
  name: RoomNameSchema,
  kind: RoomKindSchema,
  topic: z.string().optional(),
  role: RoomRoleSchema,
  memberCount: z.number().int().min(0),
  /** The newest seq of the room's log (messages and changes alike). */
  lastSeq: SeqSchema,
  /** Your read marker: everything up to this seq is read. */
  readSeq: SeqSchema,
  /** Messages by others with seq > readSeq (deleted ones and thread replies not counted), at most {@link UNREAD_COUNT_MAX}. */
  unread: z.number().int().min(0),
  /** Those of the unread messages that mention you, at most {@link UNREAD_COUNT_MAX}. */
  mentions: z.number().int().min(0),
  /** Time of the newest message, or null for a room without messages. */
  lastActivity: z.iso.datetime().nullable(),
  /** On a `dm`: the other person (the room's name is not meant for display). */
  dmWith: UserSchema.optional(),
  /** Present (true) while you are muted in this room: you read, but cannot send, edit or react. */
  muted: z.literal(true).optional(),
});
export type RoomInfo = z.infer<typeof RoomInfoSchema>;

// --- The room's log: changes (each with its own seq, fanned out to the room's members in order)

export const MessageEditedSchema = z.object({
  room: RoomNameSchema,
  seq: SeqSchema,
  id: z.string(),
  text: z.string(),
  editedAt: z.iso.datetime(),
  user: UserSchema,
});
export type MessageEdited = z.infer<typeof MessageEditedSchema>;

export const MessageDeletedSchema = z.object({
  room: RoomNameSchema,
  seq: SeqSchema,
  id: z.string(),
  /** Who deleted it: the author, or an owner or moderator. */
  by: UserSchema,
});
export type MessageDeleted = z.infer<typeof MessageDeletedSchema>;

export const ReactionEventSchema = z.object({
  room: RoomNameSchema,
  seq: SeqSchema,
  id: z.string(),
  emoji: z.string(),
  user: UserSchema,
  on: z.boolean(),
  /** How many users have this emoji on the message after this change: apply it as is. */
  count: z.number().int().min(0),
});
export type ReactionEvent = z.infer<typeof ReactionEventSchema>;

export const MemberChangeReasonSchema = z.enum([
  'joined',
  'added',
  'left',
  'kicked',
  'banned',
  'role',
  'muted',
  'unmuted',
]);

/** Membership changed: someone joined or was added, left or was removed, or got a new role or mute. */
export const MemberEventSchema = z.object({
  room: RoomNameSchema,
  seq: SeqSchema,
  user: UserSchema,
  /** Absent when the user is no longer a member. */
  role: RoomRoleSchema.optional(),
  reason: MemberChangeReasonSchema,
  /** Who made the change, when it was not the user themself. */
  by: UserSchema.optional(),
});
export type MemberEvent = z.infer<typeof MemberEventSchema>;

/** A change event as `joined.changes` replays it: the same envelope as a live frame. */
export const RoomChangeSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('message.edited'), data: MessageEditedSchema }),
  z.object({ event: z.literal('message.deleted'), data: MessageDeletedSchema }),
  z.object({ event: z.literal('reaction'), data: ReactionEventSchema }),
  z.object({ event: z.literal('member'), data: MemberEventSchema }),
]);
export type RoomChange = z.infer<typeof RoomChangeSchema>;

// --- The user's own channel: to every connection of that user, on every instance

export const RoomsSnapshotSchema = z.object({ rooms: z.array(RoomInfoSchema) });
export type RoomsSnapshot = z.infer<typeof RoomsSnapshotSchema>;

export const RoomAddedSchema = z.object({ room: RoomInfoSchema });
export type RoomAdded = z.infer<typeof RoomAddedSchema>;

export const ReadMarkerSchema = z.object({ room: RoomNameSchema, seq: SeqSchema });
export type ReadMarker = z.infer<typeof ReadMarkerSchema>;

export const MentionSchema = z.object({
  room: RoomNameSchema,
  seq: SeqSchema,
  id: z.string(),
  by: UserSchema,
});
export type Mention = z.infer<typeof MentionSchema>;

// --- HTTP

export const DirectoryRoomSchema = z.object({
  name: RoomNameSchema,
  kind: RoomKindSchema,
  topic: z.string().optional(),
  memberCount: z.number().int().min(0),
  lastActivity: z.iso.datetime().nullable(),
});
export type DirectoryRoom = z.infer<typeof DirectoryRoomSchema>;

export const CreateRoomRequestSchema = z.object({
  name: RoomNameSchema,
  kind: z.enum(['public', 'private']).default('public'),
  topic: RoomTopicSchema.optional(),
});
export type CreateRoomRequest = z.infer<typeof CreateRoomRequestSchema>;

export const MyRoomsSchema = z.object({ rooms: z.array(RoomInfoSchema) });
export type MyRooms = z.infer<typeof MyRoomsSchema>;

const UsernameRefSchema = z.string().min(1).max(64);

export const OpenDmRequestSchema = z.object({ username: UsernameRefSchema });
export type OpenDmRequest = z.infer<typeof OpenDmRequestSchema>;

export const RoomMemberSchema = z.object({ user: UserSchema, role: RoomRoleSchema, muted: z.boolean() });
export type RoomMember = z.infer<typeof RoomMemberSchema>;

export const MEMBERS_PAGE_MAX_LIMIT = 200;

export const MembersQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(MEMBERS_PAGE_MAX_LIMIT).optional(),
    /** The previous page's `nextCursor`. */
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type MembersQuery = z.infer<typeof MembersQuerySchema>;

export const RoomMembersSchema = z.object({
  members: z.array(RoomMemberSchema),
  /** Pass as `cursor` for the next page; absent or null on the last page. */
  nextCursor: z.string().nullable().optional(),
});
export type RoomMembers = z.infer<typeof RoomMembersSchema>;

export const AddMemberRequestSchema = z.object({ username: UsernameRefSchema });
export type AddMemberRequest = z.infer<typeof AddMemberRequestSchema>;

export const ChangeRoleRequestSchema = z.object({ role: RoomRoleSchema });
export type ChangeRoleRequest = z.infer<typeof ChangeRoleRequestSchema>;

export const BanRequestSchema = z.object({ username: UsernameRefSchema });
export type BanRequest = z.infer<typeof BanRequestSchema>;

export const MuteRequestSchema = z.object({
  username: UsernameRefSchema,
  /** Without it, until unmuted. */
  minutes: z.number().int().min(1).max(525_600).optional(),
});
export type MuteRequest = z.infer<typeof MuteRequestSchema>;

/** Body of PATCH /api/rooms/:room (owner): a new topic; an empty string clears it. */
export const UpdateRoomRequestSchema = z.object({ topic: RoomTopicSchema });
export type UpdateRoomRequest = z.infer<typeof UpdateRoomRequestSchema>;
