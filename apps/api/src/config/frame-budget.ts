import type { AppConfig } from './app-config.schema.js';
import type { AppConfigService } from './app-config.service.js';

/**
 * The largest frame the server sends, derived from the configuration. Every frame but a page
 * holds one message at most; pages (`joined`, `history`) are cut to MAX_PAGE_BYTES of messages,
 * and presence lists and diffs of a big room are split into frames of as many bytes of users.
 */

/** JSON escapes a control character as `\u0001` and a lone surrogate as `\ud800`: six bytes per code point. */
const WORST_BYTES_PER_CHARACTER = 6;
/**
 * A message's JSON besides its text, rounded up generously: id, room, seq, clientId (64,
 * escaped), user (a 32-character name, escaped), time and the keys (about 1 KiB); and what a
 * message that changed carries: up to 20 reactions of a 32-byte emoji each (about 1.5 KiB), a
 * reply's quote of 200 characters with its author, escaped (about 1.5 KiB), up to 50 mentioned
 * ids (about 2 KiB), editedAt, threadId and the thread summary.
 */
const MESSAGE_OVERHEAD_BYTES = 6 * 1024;
/** The envelope around a page's messages: event, room, lastSeq, hasMore, reset. */
const FRAME_OVERHEAD_BYTES = 1024;

/** The most bytes one message of `maxTextLength` characters can take as JSON. */
export function worstMessageBytes(maxTextLength: number): number {
  return maxTextLength * WORST_BYTES_PER_CHARACTER + MESSAGE_OVERHEAD_BYTES;
}

/** What the frame budget is derived from. */
export type FrameBudgetConfig = Pick<AppConfig, 'MAX_PAGE_BYTES' | 'MAX_TEXT_LENGTH' | 'MAX_QUEUED_BYTES'>;

/** The settings the budget is derived from, read from the running configuration. */
export function frameBudgetConfig(config: AppConfigService): FrameBudgetConfig {
  return {
    MAX_PAGE_BYTES: config.get('MAX_PAGE_BYTES'),
    MAX_TEXT_LENGTH: config.get('MAX_TEXT_LENGTH'),
    MAX_QUEUED_BYTES: config.get('MAX_QUEUED_BYTES'),
  };
}

/** Unless MAX_PAGE_BYTES says otherwise: a quarter of the queue cap, at most 256 KiB. */
const DEFAULT_PAGE_BYTES = 256 * 1024;

/**
 * Bytes of messages a page may hold: MAX_PAGE_BYTES (by default a quarter of MAX_QUEUED_BYTES, at
 * most 256 KiB), raised if needed so that one message always fits.
 */
export function pageBudgetBytes(config: FrameBudgetConfig): number {
  const pageBytes =
    config.MAX_PAGE_BYTES ?? Math.min(DEFAULT_PAGE_BYTES, Math.floor(config.MAX_QUEUED_BYTES / 4));
  return Math.max(pageBytes, worstMessageBytes(config.MAX_TEXT_LENGTH));
}

/** The largest frame the server sends (published as `welcome.limits.maxServerFrameBytes`). */
export function maxServerFrameBytes(config: FrameBudgetConfig): number {
  return pageBudgetBytes(config) + FRAME_OVERHEAD_BYTES;
}
