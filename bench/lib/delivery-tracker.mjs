/**
 * Exactly-once accounting: which receiver got which message how many times.
 *
 * Message ids are `<sender>.<n>` (sender index, per-sender counter), so counts fit in one
 * growable byte array per (receiver, sender) instead of a Set of strings per receiver, which at
 * 100 receivers x tens of thousands of messages would cost the load generator hundreds of MB.
 */
export class DeliveryTracker {
  /** @param {number} senders */
  /**
   * @param {number} senders
   * @param {number[]} sent the tracker's count of what each sender sent: a delivery of an id
   *   never sent through this tracker (another room's message, say) is foreign, not a delivery.
   */
  constructor(senders, sent) {
    this.senders = senders;
    this.sent = sent;
    /** Messages each sender has sent (its next n). */
    this.sent = new Array(senders).fill(0);
    /** Messages the server refused with an error frame: not expected anywhere. */
    this.refused = new Set();
    /** @type {Receiver[]} */
    this.receivers = [];
  }

  /** Reserves the next id of `sender` and counts it as sent. */
  nextId(sender) {
    return `${sender}.${this.sent[sender]++}`;
  }

  /** @param {string} clientId */
  refuse(clientId) {
    this.refused.add(clientId);
  }

  get totalSent() {
    return this.sent.reduce((a, b) => a + b, 0);
  }

  /** Messages every receiver should end up with. */
  get expectedPerReceiver() {
    return this.totalSent - this.refused.size;
  }

  /** A new receiver whose deliveries count towards lost/duplicates. */
  addReceiver() {
    const receiver = new Receiver(this.senders, this.sent);
    this.receivers.push(receiver);
    return receiver;
  }

  /** True once every receiver holds every expected message (used to end the drain early). */
  allDelivered() {
    const expected = this.expectedPerReceiver;
    return this.receivers.every((r) => r.distinct >= expected);
  }

  /**
   * Lost: expected (sent and not refused) but never received, summed over receivers.
   * Duplicates: receptions beyond the first, summed over receivers. Foreign: ids we never sent.
   */
  summarize() {
    let lost = 0;
    let duplicates = 0;
    let foreign = 0;
    let receiversMissing = 0;
    for (const receiver of this.receivers) {
      const missing = receiver.missing(this.sent, this.refused);
      lost += missing;
      if (missing > 0) receiversMissing++;
      duplicates += receiver.duplicates;
      foreign += receiver.foreign;
    }
    return {
      sent: this.totalSent,
      refused: this.refused.size,
      receivers: this.receivers.length,
      expectedDeliveries: this.expectedPerReceiver * this.receivers.length,
      lost,
      duplicates,
      foreign,
      receiversMissing,
    };
  }
}

const EMPTY = new Uint8Array(0);

class Receiver {
  distinct = 0;
  duplicates = 0;
  foreign = 0;

  /**
   * @param {number} senders
   * @param {number[]} sent the tracker's count of what each sender sent: a delivery of an id
   *   never sent through this tracker (another room's message, say) is foreign, not a delivery.
   */
  constructor(senders, sent) {
    this.senders = senders;
    this.sent = sent;
    /**
     * sender -> counts, made on a sender's first delivery: in a run over many rooms a receiver
     * hears only its own room's senders, and an array for every sender of the run (10,000
     * receivers x 1,000 senders) cost the load generator gigabytes.
     * @type {Map<number, Uint8Array>}
     */
    this.counts = new Map();
  }

  /**
   * Counts one delivery; returns false when it was not a first delivery (duplicate or unknown).
   * @param {string | null} clientId
   */
  record(clientId) {
    const dot = clientId === null ? -1 : clientId.indexOf('.');
    const sender = dot > 0 ? Number(clientId.slice(0, dot)) : NaN;
    const n = dot > 0 ? Number(clientId.slice(dot + 1)) : NaN;
    if (
      !(Number.isInteger(sender) && sender >= 0 && sender < this.senders) ||
      !Number.isInteger(n) ||
      n < 0 ||
      n >= this.sent[sender]
    ) {
      this.foreign++;
      return false;
    }
    let counts = this.counts.get(sender) ?? new Uint8Array(0);
    if (n >= counts.length) {
      const grown = new Uint8Array(Math.max(counts.length * 2, 256, n + 1));
      grown.set(counts);
      counts = grown;
      this.counts.set(sender, counts);
    }
    if (counts[n] === 0) {
      counts[n] = 1;
      this.distinct++;
      return true;
    }
    if (counts[n] < 255) counts[n]++;
    this.duplicates++;
    return false;
  }

  missing(sent, refused) {
    let missing = 0;
    for (let sender = 0; sender < sent.length; sender++) {
      const counts = this.counts.get(sender) ?? EMPTY;
      for (let n = 0; n < sent[sender]; n++) {
        if ((n >= counts.length || counts[n] === 0) && !refused.has(`${sender}.${n}`)) missing++;
      }
    }
    return missing;
  }
}

/** The summaries of several trackers (one per room) as one: every count is a sum. */
export function mergeSummaries(summaries) {
  const merged = {};
  for (const summary of summaries) {
    for (const [key, value] of Object.entries(summary)) merged[key] = (merged[key] ?? 0) + value;
  }
  return merged;
}
