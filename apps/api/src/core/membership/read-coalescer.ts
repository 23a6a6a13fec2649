/** How long read markers gather before they are written: a burst of reads costs one write. */
export const READ_FLUSH_MS = 1000;

/** The highest read of one user in one room since the last flush, and the connection that sent it. */
export interface PendingRead {
  room: string;
  userId: string;
  seq: number;
  fromConnection: string | undefined;
}

/**
 * Read markers kept in memory and written at most once per flush per (user, room), all of a
 * flush in one store transaction (one commit a second, not one per read): a client
 * scrolling through a room sends a `read` per message it shows, and each would be a store write
 * and an echo to every device. Only the highest seq counts (markers only move forward), so
 * gathering them loses nothing but time: the write and the echo come up to {@link READ_FLUSH_MS}
 * later. Flushed early for a user who disconnects, and on shutdown.
 */
export class ReadCoalescer {
  /** user id -> room -> the highest read not yet written. */
  private pending = new Map<string, Map<string, PendingRead>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    /** Writes these markers, in one transaction (and tells the users' other devices); never rejects. */
    private readonly write: (reads: PendingRead[]) => Promise<void>,
    private readonly flushMs = READ_FLUSH_MS,
  ) {}

  mark(room: string, userId: string, seq: number, fromConnection?: string): void {
    let rooms = this.pending.get(userId);
    if (!rooms) {
      rooms = new Map();
      this.pending.set(userId, rooms);
    }
    const known = rooms.get(room);
    if (known && known.seq >= seq) return;
    rooms.set(room, { room, userId, seq, fromConnection });
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** Writes one user's pending markers now (they disconnected: another instance may read them next). */
  flushUser(userId: string): Promise<void> {
    const rooms = this.pending.get(userId);
    this.pending.delete(userId);
    return this.writeAll(rooms ? [...rooms.values()] : []);
  }

  /** Writes every pending marker; resolves once they (and any flush under way) are written. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const due = [...this.pending.values()].flatMap((rooms) => [...rooms.values()]);
    this.pending = new Map();
    return this.writeAll(due);
  }

  private writeAll(due: PendingRead[]): Promise<void> {
    if (due.length === 0) return this.flushing;
    const writes = this.write(due);
    this.flushing = Promise.all([this.flushing, writes]).then(() => undefined);
    return this.flushing;
  }
}
