import { DEFAULT_ROOM, ROOM_NAME_PATTERN } from '@chat/contracts';
import type { PendingMessage } from './chat-state.js';

/**
 * What survives a reload, per user: the unacknowledged outbox (resent with the same clientId,
 * so the server stores each message once) and the rooms the user is in.
 */
const key = (userId: string, what: 'outbox' | 'rooms' | 'active') => `chat.${what}.${userId}`;

function read(storageKey: string): unknown {
  try {
    const raw = localStorage.getItem(storageKey);
    return raw === null ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function write(storageKey: string, value: unknown): void {
  try {
    localStorage.setItem(storageKey, JSON.stringify(value));
  } catch {
    // Storage full or disabled (private mode): the app still works, it just forgets on reload.
  }
}

export function loadOutbox(userId: string): PendingMessage[] {
  const value = read(key(userId, 'outbox'));
  return Array.isArray(value) ? value.filter(isPendingMessage) : [];
}

export function saveOutbox(userId: string, outbox: PendingMessage[]): void {
  write(key(userId, 'outbox'), outbox);
}

export function loadRooms(userId: string): { joined: string[]; active: string } {
  const rooms = read(key(userId, 'rooms'));
  const joined = Array.isArray(rooms)
    ? rooms.filter((r): r is string => typeof r === 'string' && ROOM_NAME_PATTERN.test(r))
    : [];
  if (!joined.includes(DEFAULT_ROOM)) joined.unshift(DEFAULT_ROOM);
  const active = read(key(userId, 'active'));
  return { joined, active: typeof active === 'string' && joined.includes(active) ? active : DEFAULT_ROOM };
}

export function saveRooms(userId: string, joined: string[], active: string): void {
  write(key(userId, 'rooms'), joined);
  write(key(userId, 'active'), active);
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
    (p.attachments === undefined ||
      (Array.isArray(p.attachments) && p.attachments.every((id) => typeof id === 'string'))) &&
    typeof p.createdAt === 'string'
  );
}
