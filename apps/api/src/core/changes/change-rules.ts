import {
  ClientIdSchema,
  EmojiSchema,
  MessageIdSchema,
  MessageTextSchema,
  RoomNameSchema,
  type ChatMessage,
  type User,
} from '@chat/contracts';
import type { z } from 'zod';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../common/errors/chat-errors.js';
import type { RoomPermissions } from '../access/room-permissions.js';
import type { ChangeInput } from './change-input.js';

/** `value` checked against `schema`, or a bad_request naming the field and what to fix. */
export function checked<T>(field: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequestError(`${field}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** The shape of a change from a door that did not validate it (a module): the same rules as the wire. */
export function checkChangeInput(input: ChangeInput): void {
  checked('room', RoomNameSchema, input.room);
  checked('id', MessageIdSchema, input.id);
  if (input.clientId !== undefined) checked('clientId', ClientIdSchema, input.clientId);
  if (input.kind === 'edit') checked('text', MessageTextSchema, input.text);
  if (input.kind === 'react') checked('emoji', EmojiSchema, input.emoji);
}

/**
 * Different emoji one message carries at most: bounds what reactions add to a message's JSON (and
 * so to a page). Checked on the message as read before the queue, so concurrent first reactions
 * may pass it by a few.
 */
export const MAX_EMOJI_PER_MESSAGE = 20;

/** No message `id` in `room`: the same answer for an unknown id and for another room's message. */
export function noSuchMessage(room: string, id: string): NotFoundError {
  return new NotFoundError(
    `no message "${id}" in room "${room}": use the id of a message of that room (from its "message" or "ack")`,
  );
}

/** A tombstone takes no edit, reaction or second delete: it is gone, as far as changes go. */
export function deletedMessage(id: string): NotFoundError {
  return new NotFoundError(`message "${id}" was deleted: it can no longer be edited, reacted to or deleted`);
}

/**
 * Who may do what to `target` (never to a tombstone: the store refuses those atomically).
 * Edit: its author only, and only while allowed to write. Delete: its author, or an owner or
 * moderator of the room (a moderator not an owner's). React: anyone allowed to write.
 */
export async function assertAllowed(
  input: ChangeInput,
  target: ChatMessage,
  user: User,
  permissions: RoomPermissions,
): Promise<void> {
  if (input.kind === 'edit') {
    if (target.user.id !== user.id) throw new ForbiddenError('only its author can edit a message');
    await permissions.assertCanWrite(input.room, user);
  } else if (input.kind === 'react') {
    await permissions.assertCanWrite(input.room, user);
    const reactions = target.reactions ?? [];
    if (
      input.on &&
      reactions.length >= MAX_EMOJI_PER_MESSAGE &&
      !reactions.some((r) => r.emoji === input.emoji)
    ) {
      throw new ForbiddenError(
        `a message carries at most ${MAX_EMOJI_PER_MESSAGE} different emoji: add one of those already on it`,
      );
    }
  } else if (target.user.id !== user.id) {
    const role = await permissions.roleOf(input.room, user);
    if (role !== 'owner' && role !== 'moderator') {
      throw new ForbiddenError(
        "only its author, or an owner or moderator of the room, can delete someone else's message",
      );
    }
    // As for every moderation: nobody acts on an owner but another owner (docs/protocol.md, Roles).
    if (role === 'moderator' && (await permissions.roleOf(input.room, target.user)) === 'owner') {
      throw new ForbiddenError(
        `${target.user.name} is an owner of room "${input.room}": only an owner can delete their message`,
      );
    }
  }
}
