import type { DeadLetter, WebhookEventType } from '@chat/contracts';
import type { ClaimedCursor, ClaimedLetter, StoredWebhookEndpoint } from './webhook-store.js';

/** Rows as both engines return them; PostgreSQL's BIGINTs arrive as strings, hence Number(). */
export interface EndpointRow {
  id: string;
  url: string;
  secret: string;
  events: string;
  enabled: number | boolean;
  created_at: string;
}

export const ENDPOINT_COLUMNS = 'id, url, secret, events, enabled, created_at';

export interface CursorRow {
  endpoint_id: string;
  room: string;
  seq: number | string;
  attempts: number;
  pending_seq: number | string | null;
  pending_body: string | null;
  last_seq: number | string;
  url: string;
  secret: string;
  events: string;
  enabled: number | boolean;
  created_at: string;
}

export interface LetterRow {
  id: string;
  endpoint_id: string;
  room: string;
  seq: number | string;
  webhook_id: string;
  type: string;
  body: string;
  attempts: number;
  last_error: string;
  state: string;
  created_at: string;
  url: string;
  secret: string;
  events: string;
  enabled: number | boolean;
  endpoint_created_at: string;
}

export const LETTER_COLUMNS =
  'l.id, l.endpoint_id, l.room, l.seq, l.webhook_id, l.type, l.body, l.attempts, l.last_error, l.state, l.created_at, e.url, e.secret, e.events, e.enabled, e.created_at AS endpoint_created_at';

export function toEndpoint(row: EndpointRow): StoredWebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    secret: row.secret,
    events: row.events.split(',').filter(Boolean) as WebhookEventType[],
    enabled: row.enabled === true || row.enabled === 1,
    createdAt: row.created_at,
  };
}

export function toCursor(row: CursorRow): ClaimedCursor {
  return {
    endpoint: toEndpoint({ ...row, id: row.endpoint_id }),
    room: row.room,
    seq: Number(row.seq),
    lastSeq: Number(row.last_seq),
    attempts: row.attempts,
    pendingSeq: row.pending_seq === null ? null : Number(row.pending_seq),
    pendingBody: row.pending_body,
  };
}

export function toClaimedLetter(row: LetterRow): ClaimedLetter {
  return {
    id: row.id,
    endpoint: toEndpoint({ ...row, id: row.endpoint_id, created_at: row.endpoint_created_at }),
    webhookId: row.webhook_id,
    body: row.body,
    attempts: row.attempts,
  };
}

export function toDeadLetter(row: LetterRow): DeadLetter {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    room: row.room,
    seq: Number(row.seq),
    webhookId: row.webhook_id,
    type: row.type as WebhookEventType,
    attempts: row.attempts,
    lastError: row.last_error,
    state: row.state === 'retrying' ? 'retrying' : 'dead',
    createdAt: row.created_at,
  };
}
