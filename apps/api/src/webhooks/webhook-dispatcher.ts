import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AppConfigService } from '../config/app-config.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import {
  MessageDeletedEvent,
  MessageEditedEvent,
  MessageStoredEvent,
  ReactionChangedEvent,
} from '../core/index.js';
import { MESSAGE_STORE, type LogEntry, type MessageStore } from '../storage/message-store.js';
import {
  WEBHOOK_STORE,
  type ClaimedCursor,
  type ClaimedLetter,
  type WebhookStore,
} from '../storage/webhook-store.js';
import { webhookBackoffMs } from './webhook-backoff.js';
import { webhookBody, webhookId, webhookType } from './webhook-payload.js';
import { sendWebhook, type DeliveryResult } from './webhook-sender.js';
import { webhookSettings, type WebhookSettings } from './webhook-settings.js';

/** Log entries read per round trip while a stream catches up. */
const BATCH = 50;
/** A stream saves its cursor at least every this many entries, and every this many ms. */
const FLUSH_EVERY = 50;
const FLUSH_MS = 250;

/**
 * Delivers every room's log to every endpoint, at least once, in seq order per room and endpoint.
 *
 * The outbox is the room log itself: every message and change already gets its seq in the same
 * transaction that stores it (SQLite's group commit, PostgreSQL's chat_append_many), so a
 * per-endpoint, per-room cursor (webhook_cursors) over that log is as durable as an outbox row
 * written in that transaction, without adding a write to the send path. Off the send path
 * entirely: a poll (WEBHOOK_POLL_MS, and a wake-up when this instance stored something) claims
 * due cursors with a lease, at most WEBHOOK_CONCURRENCY streams at once, each one request at a
 * time with a timeout, so a receiver that never answers holds one stream, never a send.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly settings: WebhookSettings;
  /** This process, for leases: unique per start, so a restarted instance never mistakes an old lease for its own. */
  private readonly owner = `dispatcher:${randomUUID()}`;
  private readonly active = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  /** The claim in flight, if any: shutdown waits for it, so that what it leases is let go again. */
  private claiming: Promise<void> | undefined;
  private again = false;

  constructor(
    @Inject(WEBHOOK_STORE) private readonly store: WebhookStore,
    @Inject(MESSAGE_STORE) private readonly messages: MessageStore,
    private readonly metrics: MetricsService,
    config: AppConfigService,
  ) {
    this.settings = webhookSettings(config);
  }

  onApplicationBootstrap(): void {
    if (!this.settings.enabled) return;
    this.timer = setInterval(() => this.wake(), this.settings.pollMs);
    this.timer.unref();
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    // In-flight attempts are cut, not waited for: they are not counted, and the lease is let go
    // (before the database closes: a lease left behind would hold its stream for leaseMs).
    this.stop.abort();
    await this.claiming;
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  @OnEvent(MessageStoredEvent.eventName)
  @OnEvent(MessageEditedEvent.eventName)
  @OnEvent(MessageDeletedEvent.eventName)
  @OnEvent(ReactionChangedEvent.eventName)
  onStored(): void {
    if (this.timer) this.wake();
  }

  /** Claims what there is room for; called again at once when a claim happened while one ran. */
  private wake(): void {
    if (this.stop.signal.aborted) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = this.claim()
      .catch((error: unknown) =>
        this.logger.warn({ msg: 'webhook claim failed; retrying at the next poll', err: error }),
      )
      .finally(() => {
        this.claiming = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async claim(): Promise<void> {
    const free = this.settings.concurrency - this.active.size;
    if (free <= 0 || this.stop.signal.aborted) return;
    const now = Date.now();
    const leaseUntil = now + this.settings.leaseMs;
    const cursors = await this.store.claimCursors(this.owner, now, leaseUntil, free);
    for (const cursor of cursors) this.run(this.streamOrRelease(cursor, leaseUntil));
    const left = free - cursors.length;
    if (left <= 0) return;
    const letters = await this.store.claimRetries(this.owner, now, leaseUntil, left);
    for (const letter of letters) this.run(this.retry(letter));
  }

  private run(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) =>
      this.logger.warn({ msg: 'webhook delivery failed', err: error }),
    );
    this.active.add(tracked);
    void tracked.finally(() => {
      this.active.delete(tracked);
      // A stream ended: there is room for another.
      this.wake();
    });
  }

  /** A stream that failed on the database lets go of its lease, so the next poll (anywhere) can try again. */
  private async streamOrRelease(cursor: ClaimedCursor, leaseUntil: number): Promise<void> {
    try {
      await this.stream(cursor, leaseUntil);
    } catch (error) {
      await this.store.release(cursor.endpoint.id, cursor.room, this.owner).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Delivers one (endpoint, room) stream in order until it is caught up, fails, or its lease runs
   * short. The cursor is saved every FLUSH_EVERY events or FLUSH_MS, not after each one (a commit
   * per event held a SQLite stream to ~120 events/s): only a crash can resend, at most that many.
   */
  private async stream(cursor: ClaimedCursor, leaseUntil: number): Promise<void> {
    const { endpoint, room } = cursor;
    let { seq, attempts } = cursor;
    let saved = seq;
    let savedAt = Date.now();
    let pending = cursor.pendingSeq === seq + 1 ? cursor.pendingBody : null;
    const stopBy = leaseUntil - this.settings.timeoutMs - 1000;
    /** False when the lease was lost (it ran out and another dispatcher took the stream): stop, it goes on there. */
    const save = async (): Promise<boolean> => {
      if (saved === seq) return true;
      if (!(await this.store.advance(endpoint.id, room, this.owner, seq))) return false;
      saved = seq;
      savedAt = Date.now();
      return true;
    };
    while (seq < cursor.lastSeq && Date.now() < stopBy && !this.stop.signal.aborted) {
      const entries = await this.messages.readLog(
        room,
        seq,
        Math.min(cursor.lastSeq, seq + BATCH) + 1,
        BATCH,
      );
      if (entries.length === 0) break;
      for (const entry of entries) {
        const next = entry.data.seq;
        const wanted = endpoint.events.length === 0 || endpoint.events.includes(webhookType(entry));
        if (wanted) {
          const body = pending ?? webhookBody(entry, new Date());
          const result = await this.attempt(endpoint, webhookId(room, next), body);
          if (!result.ok && result.aborted) break;
          if (!result.ok) {
            attempts += 1;
            if (attempts < this.settings.maxAttempts) {
              const wait = webhookBackoffMs(
                attempts,
                this.settings.backoffBaseMs,
                this.settings.backoffMaxMs,
              );
              // Also saves the cursor: everything before `next` was delivered or filtered out.
              await this.store.failed(endpoint.id, room, this.owner, {
                attempts,
                nextAttemptAt: Date.now() + wait,
                pendingSeq: next,
                pendingBody: body,
                error: result.error,
              });
              return;
            }
            // Moves the cursor to `next` in the same transaction.
            if (!(await this.giveUp(cursor, entry, body, attempts, result.error))) return;
            seq = saved = next;
            attempts = 0;
            pending = null;
            continue;
          }
        }
        seq = next;
        attempts = 0;
        pending = null;
        if (seq - saved >= FLUSH_EVERY || Date.now() - savedAt >= FLUSH_MS) {
          if (!(await save())) return;
        }
        if (Date.now() >= stopBy || this.stop.signal.aborted) break;
      }
      if (this.stop.signal.aborted) break;
    }
    if (!(await save())) return;
    await this.store.release(endpoint.id, room, this.owner);
  }

  private async giveUp(
    cursor: ClaimedCursor,
    entry: LogEntry,
    body: string,
    attempts: number,
    error: string,
  ): Promise<boolean> {
    const { endpoint, room } = cursor;
    this.metrics.webhooks.inc({ outcome: 'dead_letter' });
    this.logger.warn(
      `webhook ${endpoint.url} gave up on ${room}#${entry.data.seq} after ${attempts} attempts: ${error}`,
    );
    return this.store.deadLetter(
      endpoint.id,
      room,
      this.owner,
      {
        id: `dl_${randomUUID()}`,
        seq: entry.data.seq,
        webhookId: webhookId(room, entry.data.seq),
        type: webhookType(entry),
        body,
        attempts,
        lastError: error,
      },
      new Date().toISOString(),
    );
  }

  /** A dead letter queued again (CLI or API): its own round of attempts, out of the room's order. */
  private async retry(letter: ClaimedLetter): Promise<void> {
    const result = await this.attempt(letter.endpoint, letter.webhookId, letter.body);
    if (result.ok) return this.store.letterDelivered(letter.id, this.owner);
    const attempts = result.aborted === true ? letter.attempts : letter.attempts + 1;
    const wait = webhookBackoffMs(attempts, this.settings.backoffBaseMs, this.settings.backoffMaxMs);
    await this.store.letterFailed(letter.id, this.owner, {
      attempts,
      nextAttemptAt: Date.now() + wait,
      error: result.error,
      dead: attempts >= this.settings.maxAttempts,
    });
  }

  private async attempt(
    endpoint: { url: string; secret: string },
    id: string,
    body: string,
  ): Promise<DeliveryResult> {
    const result = await sendWebhook(endpoint, id, body, {
      timeoutMs: this.settings.timeoutMs,
      allowPrivate: this.settings.allowPrivate,
      signal: this.stop.signal,
    });
    if (result.ok || !result.aborted)
      this.metrics.webhooks.inc({ outcome: result.ok ? 'delivered' : 'failed' });
    return result;
  }
}
