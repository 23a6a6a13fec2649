import type { ChatMessage } from '@chat/contracts';
import type { PendingMessage } from '../chat/chat-state.js';
import { frame } from '../chat/frames.js';
import { SendPacer, type PacingLimits } from '../chat/send-pacer.js';

/**
 * A message still unacknowledged this long after it was sent is sent again (same clientId, so
 * never stored twice): whatever went wrong on the way, the outbox converges.
 */
export const RESEND_AFTER_MS = 10_000;

interface OutboxSenderDeps {
  send: (data: string) => boolean;
  /** The outbox as held now. */
  outbox: () => readonly PendingMessage[];
  /** Whether `room` is joined on the current socket (sends to other rooms wait for the join). */
  isLive: (room: string) => boolean;
  /** The signed-in user's id, once welcomed. */
  me: () => string | undefined;
}

/**
 * Puts the outbox on the wire through a {@link SendPacer}: a whole outbox resent after a
 * reconnect stays within the server's published limits instead of being refused as a flood.
 */
export class OutboxSender {
  readonly pacer = new SendPacer();
  /** When each pending message was last put on the wire (for resends after a silence). */
  private readonly sentAt = new Map<string, number>();

  constructor(private readonly deps: OutboxSenderDeps) {
    this.pacer.transmitWith((clientId) => this.transmit(clientId));
  }

  /** Queues a message for the wire; it goes once its room is live and the pacer lets it. */
  sendPending(pending: PendingMessage): void {
    // The outbox already holds it (the session's state changes synchronously): only its id is queued.
    if (this.deps.isLive(pending.room)) this.pacer.enqueue(pending.clientId);
  }

  /** Queues every pending message of `room` (or of every live room), in the order written. */
  flush(room?: string): void {
    for (const p of this.deps.outbox()) {
      if (p.status === 'sending' && (room === undefined || p.room === room) && this.deps.isLive(p.room))
        this.pacer.enqueue(p.clientId);
    }
  }

  /** Messages of ours that arrived stored: their answers, even if the ack was lost. */
  settleMine(messages: readonly ChatMessage[]): void {
    const me = this.deps.me();
    for (const m of messages) if (m.clientId && m.user.id === me) this.pacer.settled(m.clientId);
  }

  /** Sends again what has waited too long for an answer. */
  resendStale(now: number): void {
    for (const pending of this.deps.outbox()) {
      const last = this.sentAt.get(pending.clientId) ?? 0;
      if (pending.status === 'sending' && now - last > RESEND_AFTER_MS) this.sendPending(pending);
    }
  }

  connected(limits: PacingLimits): void {
    this.pacer.connected(limits);
  }

  reset(): void {
    this.pacer.reset();
  }

  private transmit(clientId: string): boolean {
    const pending = this.deps.outbox().find((p) => p.clientId === clientId);
    if (!pending || pending.status !== 'sending' || !this.deps.isLive(pending.room)) return false;
    const { room, text, replyTo, threadId } = pending;
    const data = { room, text, clientId, ...(replyTo ? { replyTo } : {}), ...(threadId ? { threadId } : {}) };
    if (!this.deps.send(frame('send', data))) return false;
    this.sentAt.set(clientId, Date.now());
    return true;
  }
}
