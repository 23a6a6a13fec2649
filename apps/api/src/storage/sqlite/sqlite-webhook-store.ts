import type Database from 'better-sqlite3';
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
import { DEFAULT_LOCK_WAIT_MS, whileLocked } from './sqlite-lock-wait.js';

/** Webhooks in SQLite: one instance, so a lease only keeps this process's own loops apart. */
export class SqliteWebhookStore implements WebhookStore {
  constructor(
    private readonly db: Database.Database,
    private readonly lockWaitMs = DEFAULT_LOCK_WAIT_MS,
  ) {}

  private write<T>(work: () => T): Promise<T> {
    return whileLocked(() => this.db.transaction(work).immediate(), this.lockWaitMs);
  }

  addEndpoint(endpoint: StoredWebhookEndpoint): Promise<void> {
    return this.write(() => {
      this.db
        .prepare(
          'INSERT INTO webhook_endpoints (id, url, secret, events, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(
          endpoint.id,
          endpoint.url,
          endpoint.secret,
          endpoint.events.join(','),
          endpoint.enabled ? 1 : 0,
          endpoint.createdAt,
        );
      this.db
        .prepare('INSERT INTO webhook_cursors (endpoint_id, room, seq) SELECT ?, name, last_seq FROM rooms')
        .run(endpoint.id);
    });
  }

  listEndpoints(): Promise<StoredWebhookEndpoint[]> {
    const rows = this.db
      .prepare(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY created_at, id`)
      .all() as EndpointRow[];
    return Promise.resolve(rows.map(toEndpoint));
  }

  removeEndpoint(id: string): Promise<boolean> {
    return this.write(
      () => this.db.prepare('DELETE FROM webhook_endpoints WHERE id = ?').run(id).changes === 1,
    );
  }

  claimCursors(owner: string, now: number, leaseUntil: number, limit: number): Promise<ClaimedCursor[]> {
    // Every poll of a server without webhooks lands here: answer it with a read, no write lock.
    if (!this.db.prepare('SELECT 1 FROM webhook_endpoints WHERE enabled = 1 LIMIT 1').get()) {
      return Promise.resolve([]);
    }
    return this.write(() => {
      this.db
        .prepare(
          `INSERT INTO webhook_cursors (endpoint_id, room, seq)
           SELECT e.id, r.name, 0 FROM webhook_endpoints e JOIN rooms r ON r.last_seq > 0
           WHERE e.enabled = 1
             AND NOT EXISTS (SELECT 1 FROM webhook_cursors c WHERE c.endpoint_id = e.id AND c.room = r.name)`,
        )
        .run();
      const rows = this.db
        .prepare(
          `SELECT c.endpoint_id, c.room, c.seq, c.attempts, c.pending_seq, c.pending_body, r.last_seq,
                  e.url, e.secret, e.events, e.enabled, e.created_at
           FROM webhook_cursors c JOIN rooms r ON r.name = c.room JOIN webhook_endpoints e ON e.id = c.endpoint_id
           WHERE e.enabled = 1 AND r.last_seq > c.seq AND c.next_attempt_at <= ? AND c.lease_until <= ?
           ORDER BY c.next_attempt_at LIMIT ?`,
        )
        .all(now, now, limit) as CursorRow[];
      const lease = this.db.prepare(
        'UPDATE webhook_cursors SET lease_owner = ?, lease_until = ? WHERE endpoint_id = ? AND room = ?',
      );
      for (const row of rows) lease.run(owner, leaseUntil, row.endpoint_id, row.room);
      return rows.map(toCursor);
    });
  }

  advance(endpointId: string, room: string, owner: string, seq: number): Promise<boolean> {
    return this.write(
      () =>
        this.db
          .prepare(
            `UPDATE webhook_cursors SET seq = ?, attempts = 0, next_attempt_at = 0, pending_seq = NULL,
               pending_body = NULL, last_error = NULL
             WHERE endpoint_id = ? AND room = ? AND lease_owner = ?`,
          )
          .run(seq, endpointId, room, owner).changes === 1,
    );
  }

  async failed(
    endpointId: string,
    room: string,
    owner: string,
    f: { attempts: number; nextAttemptAt: number; pendingSeq: number; pendingBody: string; error: string },
  ): Promise<void> {
    await this.write(() =>
      this.db
        .prepare(
          `UPDATE webhook_cursors SET seq = ? - 1, attempts = ?, next_attempt_at = ?, pending_seq = ?, pending_body = ?,
             last_error = ?, lease_owner = NULL, lease_until = 0
           WHERE endpoint_id = ? AND room = ? AND lease_owner = ?`,
        )
        .run(
          f.pendingSeq,
          f.attempts,
          f.nextAttemptAt,
          f.pendingSeq,
          f.pendingBody,
          f.error,
          endpointId,
          room,
          owner,
        ),
    );
  }

  async release(endpointId: string, room: string, owner: string): Promise<void> {
    await this.write(() =>
      this.db
        .prepare(
          'UPDATE webhook_cursors SET lease_owner = NULL, lease_until = 0 WHERE endpoint_id = ? AND room = ? AND lease_owner = ?',
        )
        .run(endpointId, room, owner),
    );
  }

  deadLetter(
    endpointId: string,
    room: string,
    owner: string,
    l: NewDeadLetter,
    createdAt: string,
  ): Promise<boolean> {
    return this.write(() => {
      const moved = this.db
        .prepare(
          `UPDATE webhook_cursors SET seq = ?, attempts = 0, next_attempt_at = 0, pending_seq = NULL,
             pending_body = NULL, last_error = NULL
           WHERE endpoint_id = ? AND room = ? AND lease_owner = ?`,
        )
        .run(l.seq, endpointId, room, owner).changes;
      if (moved !== 1) return false;
      this.db
        .prepare(
          `INSERT INTO webhook_dead_letters (id, endpoint_id, room, seq, webhook_id, type, body, attempts, last_error, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(l.id, endpointId, room, l.seq, l.webhookId, l.type, l.body, l.attempts, l.lastError, createdAt);
      return true;
    });
  }

  listDeadLetters(limit: number): Promise<DeadLetter[]> {
    const rows = this.db
      .prepare(
        `SELECT ${LETTER_COLUMNS} FROM webhook_dead_letters l JOIN webhook_endpoints e ON e.id = l.endpoint_id
         ORDER BY l.created_at, l.id LIMIT ?`,
      )
      .all(limit) as LetterRow[];
    return Promise.resolve(rows.map(toDeadLetter));
  }

  retryDeadLetter(id: string, now: number): Promise<boolean> {
    return this.write(
      () =>
        this.db
          .prepare(
            `UPDATE webhook_dead_letters SET state = 'retrying', attempts = 0, next_attempt_at = ?, lease_owner = NULL, lease_until = 0
             WHERE id = ?`,
          )
          .run(now, id).changes === 1,
    );
  }

  claimRetries(owner: string, now: number, leaseUntil: number, limit: number): Promise<ClaimedLetter[]> {
    if (!this.db.prepare("SELECT 1 FROM webhook_dead_letters WHERE state = 'retrying' LIMIT 1").get()) {
      return Promise.resolve([]);
    }
    return this.write(() => {
      const rows = this.db
        .prepare(
          `SELECT ${LETTER_COLUMNS} FROM webhook_dead_letters l JOIN webhook_endpoints e ON e.id = l.endpoint_id
           WHERE l.state = 'retrying' AND l.next_attempt_at <= ? AND l.lease_until <= ? AND e.enabled = 1
           ORDER BY l.next_attempt_at LIMIT ?`,
        )
        .all(now, now, limit) as LetterRow[];
      const lease = this.db.prepare(
        'UPDATE webhook_dead_letters SET lease_owner = ?, lease_until = ? WHERE id = ?',
      );
      for (const row of rows) lease.run(owner, leaseUntil, row.id);
      return rows.map(toClaimedLetter);
    });
  }

  async letterDelivered(id: string, owner: string): Promise<void> {
    await this.write(() =>
      this.db.prepare('DELETE FROM webhook_dead_letters WHERE id = ? AND lease_owner = ?').run(id, owner),
    );
  }

  async letterFailed(
    id: string,
    owner: string,
    f: { attempts: number; nextAttemptAt: number; error: string; dead: boolean },
  ): Promise<void> {
    await this.write(() =>
      this.db
        .prepare(
          `UPDATE webhook_dead_letters SET attempts = ?, next_attempt_at = ?, last_error = ?, state = ?,
             lease_owner = NULL, lease_until = 0
           WHERE id = ? AND lease_owner = ?`,
        )
        .run(f.attempts, f.nextAttemptAt, f.error, f.dead ? 'dead' : 'retrying', id, owner),
    );
  }
}
