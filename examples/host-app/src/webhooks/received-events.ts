/** One verified delivery: what the chat sent and the id it sent it under. */
export interface ReceivedEvent {
  webhookId: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * What the host app does with the chat's events: here it keeps them, in arrival order, once
 * each. A real app would update its search index, notify, bill... in `accept`.
 */
export class ReceivedEvents {
  private readonly seen = new Set<string>();
  private readonly events: ReceivedEvent[] = [];
  /** Deliveries of an id already seen (a retry after a lost answer, or a crash of a chat instance). */
  redelivered = 0;

  /** False when this webhook-id came before: delivery is at least once, so a retry is expected. */
  accept(event: ReceivedEvent): boolean {
    if (this.seen.has(event.webhookId)) {
      this.redelivered += 1;
      return false;
    }
    this.seen.add(event.webhookId);
    this.events.push(event);
    return true;
  }

  all(): readonly ReceivedEvent[] {
    return this.events;
  }
}
