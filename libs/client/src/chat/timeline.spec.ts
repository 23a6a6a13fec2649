import { describe, expect, it } from '@jest/globals';
import { chatMessage as message, pendingMessage } from '../testing/chat-fixtures.js';
import { timeline } from './timeline.js';

const pending = (clientId: string, afterSeq?: number) =>
  pendingMessage(clientId, { text: clientId, ...(afterSeq === undefined ? {} : { afterSeq }) });
const labels = (entries: ReturnType<typeof timeline>) =>
  entries.map((e) => (e.kind === 'message' ? e.message.id : e.pending.clientId));

describe(timeline.name, () => {
  it('should show a message written offline where it was written, before what arrived later', () => {
    expect(labels(timeline([message(1), message(2), message(5)], [pending('p', 2)]))).toEqual([
      'm1',
      'm2',
      'p',
      'm5',
    ]);
  });

  it('should place after the messages up to afterSeq even when seqs skip (changes take seqs too)', () => {
    expect(labels(timeline([message(1), message(4)], [pending('p', 3)]))).toEqual(['m1', 'p', 'm4']);
  });

  it('should keep pending messages in the order written, and put those without a place last', () => {
    const entries = timeline([message(1), message(2)], [pending('old'), pending('b', 1), pending('c', 1)]);
    expect(labels(entries)).toEqual(['m1', 'b', 'c', 'm2', 'old']);
  });

  it('should show pending messages alone when nothing is held yet', () => {
    expect(labels(timeline([], [pending('a', 0), pending('b', 7)]))).toEqual(['a', 'b']);
  });
});
