import { DEFAULT_ROOM, ROOM_NAME_PATTERN } from '@chat/contracts';
import type { PendingMessage } from './chat-state.js';

/**
 * What survives a reload, per user: the unacknowledged outbox (resent with the same clientId,
 * so the server stores each message once) and the rooms the user is in.
 */
const key = (userId: string, what: 'outbox' | 'rooms' | 'active') => `chat.${what}.${userId}`;

/** Where the client keeps what survives a reload: `localStorage`, or anything with its two calls. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

/** The runtime's `localStorage`, or null where there is none (Node) or it is refused. */
export function defaultStorage(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // some browsers throw on access when storage is disabled
  }
}

function read(storageKey: string, storage: StorageLike | null): unknown {
  try {
    const raw = storage?.getItem(storageKey) ?? null;
    return raw === null ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function write(storageKey: string, value: unknown, storage: StorageLike | null): void {
  try {
    storage?.setItem(storageKey, JSON.stringify(value));
  } catch {
    // Storage full or disabled (private mode): the app still works, it just forgets on reload.
  }
}

export function loadOutbox(userId: string, storage = defaultStorage()): PendingMessage[] {
  const value = read(key(userId, 'outbox'), storage);
  return Array.isArray(value) ? value.filter(isPendingMessage) : [];
}

export function saveOutbox(userId: string, outbox: PendingMessage[], storage = defaultStorage()): void {
  write(key(userId, 'outbox'), outbox, storage);
}

export function loadRooms(userId: string, storage = defaultStorage()): { joined: string[]; active: string } {
  const rooms = read(key(userId, 'rooms'), storage);
  const joined = Array.isArray(rooms)
    ? rooms.filter((r): r is string => typeof r === 'string' && ROOM_NAME_PATTERN.test(r))
    : [];
  if (!joined.includes(DEFAULT_ROOM)) joined.unshift(DEFAULT_ROOM);
  const active = read(key(userId, 'active'), storage);
  return { joined, active: typeof active === 'string' && joined.includes(active) ? active : DEFAULT_ROOM };
}

export function saveRooms(
  userId: string,
  joined: string[],
  active: string,
  storage = defaultStorage(),
): void {
  write(key(userId, 'rooms'), joined, storage);
  write(key(userId, 'active'), active, storage);
}

function isPendingMessage(value: unknown): value is PendingMessage {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    typeof p.clientId === 'string' &&
    typeof p.room === 'string' &&
    typeof p.text === 'string' &&
    (p.status === 'sending' || p.status === 'failed') &&
    (p.replyTo === undefined || typeof p.replyTo === 'string') &&
    (p.threadId === undefined || typeof p.threadId === 'string') &&
    (p.afterSeq === undefined || typeof p.afterSeq === 'number') &&
    typeof p.createdAt === 'string'
  );
}
