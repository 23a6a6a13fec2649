import type { ChatMessage } from '@chat/contracts';

/**
 * Tells new messages from history, for what reacts to news (screen-reader announcements,
 * desktop notifications): a room's first `joined` is its history, nothing to announce; every
 * message after it is an arrival, whether it came live or in a resume after a reconnect.
 * Each seq is an arrival at most once.
 */
export class ArrivalTracker {
  /** The highest seq known per room: anything at or below it is not news. */
  private readonly newest = new Map<string, number>();

  /** A `joined` answer; returns the messages in it that are news (none on a room's first join). */
  joined(room: string, messages: ChatMessage[], lastSeq: number): ChatMessage[] {
    const known = this.newest.get(room);
    this.newest.set(
      room,
      messages.reduce((top, m) => Math.max(top, m.seq), Math.max(lastSeq, known ?? 0)),
    );
    return known === undefined ? [] : messages.filter((m) => m.seq > known);
  }

  /** A live `message`; true when it is news. */
  message(message: ChatMessage): boolean {
    const known = this.newest.get(message.room);
    // Before a room's first join nothing is on screen to compare with: history, not news.
    if (known === undefined || message.seq <= known) return false;
    this.newest.set(message.room, message.seq);
    return true;
  }

  /** The user left the room: joining it again starts with its history. */
  forget(room: string): void {
    this.newest.delete(room);
  }
}
