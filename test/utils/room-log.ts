import type { Joined } from '@chat/contracts';

/**
 * Every seq a `joined` frame carries of the room's log: its messages' and its changes' (a resume
 * replays every `member` entry after `since`), in increasing order. Against {@link seqRange} this
 * checks the one rule: the log is numbered without gaps or repeats over every kind of entry.
 */
export function logSeqs(joined: Pick<Joined, 'messages' | 'changes'>): number[] {
  return [...joined.messages.map((m) => m.seq), ...(joined.changes ?? []).map((c) => c.data.seq)].sort(
    (a, b) => a - b,
  );
}

/** The seqs `from`, `from + 1`, …, `to` (empty when `to < from`). */
export function seqRange(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** The seqs `n` entries take right after `position` in the log: position + 1 … position + n. */
export function seqsAfter(position: number, n: number): number[] {
  return seqRange(position + 1, position + n);
}
