import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { ChatMessage } from '@chat/contracts';
import type { ChatState, PendingMessage } from './chat-state.js';
import { frame } from './frames.js';
import { SendPacer } from './send-pacer.js';

export interface PacedSends {
  /** The pacer itself: `connected` on welcome, `settled` on every answer, `reset` on close. */
  pacer: SendPacer;
  /** Queues a message for the wire; it goes once its room is live and the pacer lets it. */
  sendPending: (pending: PendingMessage) => void;
  /** Queues every pending message of `room` (or of every live room). */
  flushOutbox: (room?: string) => void;
  /** Messages of ours that arrived stored: their answers, even if the ack was lost. */
  settleMine: (messages: ChatMessage[]) => void;
}

interface PacedSendsDeps {
  sendRaw: (data: string) => boolean;
  state: RefObject<ChatState>;
  /** Rooms joined on the current socket; sends to other rooms wait in the outbox. */
  liveRooms: RefObject<Set<string>>;
  /** When each pending message was last put on the wire (for resends after a silence). */
  sentAt: RefObject<Map<string, number>>;
}

/**
 * Every `send` goes through a {@link SendPacer}: a whole outbox resent after a reconnect stays
 * within the server's published limits instead of being refused, and closed, as a flood.
 */
export function usePacedSends({ sendRaw, state, liveRooms, sentAt }: PacedSendsDeps): PacedSends {
  /**
   * Messages handed over before the state that holds them has rendered (a new message, one
   * marked for retry): what `transmit` must send, not the older copy in `state`.
   */
  const handedOver = useRef(new Map<string, PendingMessage>());
  // One pacer for the hook's life (state, not a ref: it is read while rendering).
  const [pacer] = useState(() => new SendPacer());
  useEffect(() => {
    pacer.transmitWith((clientId) => {
      const pending =
        handedOver.current.get(clientId) ?? state.current.outbox.find((p) => p.clientId === clientId);
      handedOver.current.delete(clientId);
      if (!pending || pending.status !== 'sending' || !liveRooms.current.has(pending.room)) return false;
      const { room, text, replyTo, threadId, attachments } = pending;
      const data = {
        room,
        text,
        clientId,
        ...(replyTo ? { replyTo } : {}),
        ...(threadId ? { threadId } : {}),
        ...(attachments && attachments.length > 0 ? { attachments } : {}),
      };
      if (!sendRaw(frame('send', data))) return false;
      sentAt.current.set(clientId, Date.now());
      return true;
    });
  });
  useEffect(() => () => pacer.reset(), [pacer]);

  const sendPending = useCallback(
    (pending: PendingMessage) => {
      if (!liveRooms.current.has(pending.room)) return;
      handedOver.current.set(pending.clientId, pending);
      pacer.enqueue(pending.clientId);
    },
    [pacer, liveRooms],
  );
  const flushOutbox = useCallback(
    (room?: string) => {
      for (const p of state.current.outbox) {
        if (
          p.status === 'sending' &&
          (room === undefined || p.room === room) &&
          liveRooms.current.has(p.room)
        )
          pacer.enqueue(p.clientId);
      }
    },
    [pacer, state, liveRooms],
  );
  const settleMine = useCallback(
    (messages: ChatMessage[]) => {
      const me = state.current.me?.id;
      for (const m of messages) if (m.clientId && m.user.id === me) pacer.settled(m.clientId);
    },
    [pacer, state],
  );
  return { pacer, sendPending, flushOutbox, settleMine };
}
