import type pg from 'pg';
import type { DeadLetter } from '@chat/contracts';
import {
  ENDPOINT_COLUMNS,
  LETTER_COLUMNS,
  toClaimedLetter,
  toCursor,
  toDeadLetter,
  toEndpoint,
  type CursorRow,
  type EndpointRow,
  type LetterRow,
} from '../webhook-rows.js';
import type {
  ClaimedCursor,
  ClaimedLetter,
  NewDeadLetter,
  StoredWebhookEndpoint,
  WebhookStore,
} from '../webhook-store.js';
import { query } from './postgres-database.js';
import { transaction } from './postgres-transaction.js';

const CURSOR_RESET = `attempts = 0, next_attempt_at = 0, pending_seq = NULL, pending_body = NULL, last_error = NULL`;

/**
 * Webhooks in PostgreSQL, for several instances: a claim takes due rows `FOR UPDATE SKIP LOCKED`
 * and leases them (lease_owner, lease_until) in the same statement, so two dispatchers never
 * claim one cursor; the lease, not a held transaction, keeps it theirs while they deliver.
 */
export class PostgresWebhookStore implements WebhookStore {
  constructor(private readonly pool: pg.Pool) {}

  async addEndpoint(endpoint: StoredWebhookEndpoint): Promise<void> {
    await transaction(this.pool, async (client) => {
      await client.query(
        'INSERT INTO webhook_endpoints (id, url, secret, events, enabled, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [
          endpoint.id,
          endpoint.url,
          endpoint.secret,
          endpoint.events.join(','),
          endpoint.enabled,
          endpoint.createdAt,
        ],
      );
      await client.query(
        'INSERT INTO webhook_cursors (endpoint_id, room, seq) SELECT $1, name, last_seq FROM rooms',
        [endpoint.id],
      );
    });
  }

  async listEndpoints(): Promise<StoredWebhookEndpoint[]> {
    const { rows } = await query<EndpointRow>(
      this.pool,
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY created_at, id`,
    );
    return rows.map(toEndpoint);
  }

  async removeEndpoint(id: string): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'DELETE FROM webhook_endpoints WHERE id = $1', [id]);
    return rowCount === 1;
  }

  async claimCursors(
    owner: string,
    now: number,
    leaseUntil: number,
    limit: number,
  ): Promise<ClaimedCursor[]> {
    await query(
      this.pool,
      `INSERT INTO webhook_cursors (endpoint_id, room, seq)
       SELECT e.id, r.name, 0 FROM webhook_endpoints e JOIN rooms r ON r.last_seq > 0
       WHERE e.enabled
         AND NOT EXISTS (SELECT 1 FROM webhook_cursors c WHERE c.endpoint_id = e.id AND c.room = r.name)
       ON CONFLICT DO NOTHING`,
    );
    const { rows } = await query<CursorRow>(
      this.pool,
      `WITH due AS (
         SELECT c.endpoint_id, c.room, r.last_seq, e.url, e.secret, e.events, e.enabled, e.created_at
         FROM webhook_cursors c JOIN rooms r ON r.name = c.room JOIN webhook_endpoints e ON e.id = c.endpoint_id
         WHERE e.enabled AND r.last_seq > c.seq AND c.next_attempt_at <= $2 AND c.lease_until <= $2
         ORDER BY c.next_attempt_at LIMIT $4
         FOR UPDATE OF c SKIP LOCKED
       )
       UPDATE webhook_cursors c SET lease_owner = $1, lease_until = $3
       FROM due WHERE c.endpoint_id = due.endpoint_id AND c.room = due.room
       RETURNING c.endpoint_id, c.room, c.seq, c.attempts, c.pending_seq, c.pending_body, due.last_seq,
                 due.url, due.secret, due.events, due.enabled, due.created_at`,
      [owner, now, leaseUntil, limit],
    );
    return rows.map(toCursor);
  }

  async advance(endpointId: string, room: string, owner: string, seq: number): Promise<boolean> {
    const { rowCount } = await query(
      this.pool,
      `UPDATE webhook_cursors SET seq = $4, ${CURSOR_RESET}
       WHERE endpoint_id = $1 AND room = $2 AND lease_owner = $3`,
      [endpointId, room, owner, seq],
    );
    return rowCount === 1;
  }

  async failed(
    endpointId: string,
    room: string,
    owner: string,
    f: { attempts: number; nextAttemptAt: number; pendingSeq: number; pendingBody: string; error: string },
  ): Promise<void> {
    await query(
      this.pool,
      `UPDATE webhook_cursors SET seq = $6 - 1, attempts = $4, next_attempt_at = $5, pending_seq = $6, pending_body = $7,
         last_error = $8, lease_owner = NULL, lease_until = 0
       WHERE endpoint_id = $1 AND room = $2 AND lease_owner = $3`,
      [endpointId, room, owner, f.attempts, f.nextAttemptAt, f.pendingSeq, f.pendingBody, f.error],
    );
  }

  async release(endpointId: string, room: string, owner: string): Promise<void> {
    await query(
      this.pool,
      `UPDATE webhook_cursors SET lease_owner = NULL, lease_until = 0
       WHERE endpoint_id = $1 AND room = $2 AND lease_owner = $3`,
      [endpointId, room, owner],
    );
  }

  deadLetter(
    endpointId: string,
    room: string,
    owner: string,
    l: NewDeadLetter,
    createdAt: string,
  ): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        `UPDATE webhook_cursors SET seq = $4, ${CURSOR_RESET}
         WHERE endpoint_id = $1 AND room = $2 AND lease_owner = $3`,
        [endpointId, room, owner, l.seq],
      );
      if (rowCount !== 1) return false;
      await client.query(
        `INSERT INTO webhook_dead_letters (id, endpoint_id, room, seq, webhook_id, type, body, attempts, last_error, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [l.id, endpointId, room, l.seq, l.webhookId, l.type, l.body, l.attempts, l.lastError, createdAt],
      );
      return true;
    });
  }

  async listDeadLetters(limit: number): Promise<DeadLetter[]> {
    const { rows } = await query<LetterRow>(
      this.pool,
      `SELECT ${LETTER_COLUMNS} FROM webhook_dead_letters l JOIN webhook_endpoints e ON e.id = l.endpoint_id
       ORDER BY l.created_at, l.id LIMIT $1`,
      [limit],
    );
    return rows.map(toDeadLetter);
  }

  async retryDeadLetter(id: string, now: number): Promise<boolean> {
    const { rowCount } = await query(
      this.pool,
      `UPDATE webhook_dead_letters SET state = 'retrying', attempts = 0, next_attempt_at = $2, lease_owner = NULL, lease_until = 0
       WHERE id = $1`,
      [id, now],
    );
    return rowCount === 1;
  }

  async claimRetries(
    owner: string,
    now: number,
    leaseUntil: number,
    limit: number,
  ): Promise<ClaimedLetter[]> {
    const { rows } = await query<LetterRow>(
      this.pool,
      `WITH due AS (
         SELECT l.id FROM webhook_dead_letters l JOIN webhook_endpoints e ON e.id = l.endpoint_id
         WHERE l.state = 'retrying' AND l.next_attempt_at <= $2 AND l.lease_until <= $2 AND e.enabled
         ORDER BY l.next_attempt_at LIMIT $4
         FOR UPDATE OF l SKIP LOCKED
       ), leased AS (
         UPDATE webhook_dead_letters l SET lease_owner = $1, lease_until = $3 FROM due WHERE l.id = due.id
         RETURNING l.*
       )
       SELECT ${LETTER_COLUMNS} FROM leased l JOIN webhook_endpoints e ON e.id = l.endpoint_id`,
      [owner, now, leaseUntil, limit],
    );
    return rows.map(toClaimedLetter);
  }

  async letterDelivered(id: string, owner: string): Promise<void> {
    await query(this.pool, 'DELETE FROM webhook_dead_letters WHERE id = $1 AND lease_owner = $2', [
      id,
      owner,
    ]);
  }

  async letterFailed(
    id: string,
    owner: string,
    f: { attempts: number; nextAttemptAt: number; error: string; dead: boolean },
  ): Promise<void> {
    await query(
      this.pool,
      `UPDATE webhook_dead_letters SET attempts = $3, next_attempt_at = $4, last_error = $5, state = $6,
         lease_owner = NULL, lease_until = 0
       WHERE id = $1 AND lease_owner = $2`,
      [id, owner, f.attempts, f.nextAttemptAt, f.error, f.dead ? 'dead' : 'retrying'],
    );
  }
}
