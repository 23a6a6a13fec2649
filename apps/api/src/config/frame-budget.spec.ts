import { describe, expect, it } from '@jest/globals';
import { REPLY_PREVIEW_CHARACTERS, type ChatMessage, type User } from '@chat/contracts';
import { MAX_EMOJI_PER_MESSAGE } from '../core/changes/change-rules.js';
import { worstMessageBytes } from './frame-budget.js';

/** A name of 32 characters that JSON escapes: quotes and backslashes. */
const ESCAPED_NAME = '"\\'.repeat(16);
const user: User = { id: 'u'.repeat(64), name: ESCAPED_NAME, guest: false, bot: true };
/** Emoji of 32 UTF-8 bytes (a family with skin tones), distinct per index. */
const emoji = (index: number) => `👨🏽‍👩🏽‍👧🏽${String.fromCodePoint(0x1f600 + index)}`.slice(0, 20);

describe('worstMessageBytes', () => {
  // A one-character text leaves the overhead alone to hold everything else: the case of a server
  // configured with a small MAX_TEXT_LENGTH, where no slack in the text's budget hides a shortfall.
  it('should bound a message whose every optional field is at its limit', () => {
    const maxText = 1;
    const message: ChatMessage = {
      id: 'i'.repeat(64),
      room: 'r'.repeat(32),
      seq: Number.MAX_SAFE_INTEGER,
      clientId: '"'.repeat(64),
      user,
      // Four UTF-8 bytes per character, the most a well-formed character takes.
      text: '😀'.repeat(maxText),
      time: new Date().toISOString(),
      editedAt: new Date().toISOString(),
      deleted: true,
      reactions: Array.from({ length: MAX_EMOJI_PER_MESSAGE }, (_, index) => ({
        emoji: emoji(index),
        count: Number.MAX_SAFE_INTEGER,
        me: false,
      })),
      replyTo: { id: 'i'.repeat(64), user, text: '"'.repeat(REPLY_PREVIEW_CHARACTERS), deleted: true },
      threadId: 'i'.repeat(64),
      thread: { replyCount: Number.MAX_SAFE_INTEGER, lastReplyAt: new Date().toISOString() },
      mentions: Array.from({ length: 50 }, (_, index) => `${index}`.padStart(36, 'm')),
    };
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(worstMessageBytes(maxText));
  });
});
