import { createHash } from 'node:crypto';
import type { WebhookEventType, WebhookPayload } from '@chat/contracts';
import type { LogEntry } from '../storage/message-store.js';

const TYPE_BY_EVENT: Record<LogEntry['event'], WebhookEventType> = {
  message: 'message.created',
  'message.edited': 'message.edited',
  'message.deleted': 'message.deleted',
  reaction: 'reaction',
  member: 'member',
};

export function webhookType(entry: LogEntry): WebhookEventType {
  return TYPE_BY_EVENT[entry.event];
}

/**
 * The `webhook-id` of a room's log entry: the same for every attempt, instance and restart (it
 * follows from the room and seq alone), so a receiver can drop what it has seen.
 */
export function webhookId(room: string, seq: number): string {
  return `msg_${createHash('sha256').update(`${room}\n${seq}`).digest('base64url').slice(0, 27)}`;
}

/** The request body: the WebSocket event's data, with the time the event happened where it says. */
export function webhookBody(entry: LogEntry, now: Date): string {
  const payload: WebhookPayload = {
    type: webhookType(entry),
    timestamp: eventTime(entry) ?? now.toISOString(),
    data: entry.data,
  };
  return JSON.stringify(payload);
}

function eventTime(entry: LogEntry): string | undefined {
  if (entry.event === 'message') return entry.data.time;
  if (entry.event === 'message.edited') return entry.data.editedAt;
  return undefined;
}
