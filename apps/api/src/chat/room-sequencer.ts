import type { LogEntry } from '../storage/message-store.js';

/**
 * The stored log entries (messages and changes) of `room` with after < seq < before (to the
 * newest without `before`), oldest first.
 */
export type RangeReader = (room: string, after: number, before: number | undefined) => Promise<LogEntry[]>;

export interface RoomSequencerOptions {
  /** Receives each room's log entries (messages and changes alike) in seq order, each seq once. */
  emit(entry: LogEntry): void;
  /** Where missing entries are fetched from: the message store. */
  read: RangeReader;
  /**
   * True while the room's start is still unknown for a reason worth waiting for: a member is
   * reading its own starting point from the store (see {@link RoomSequencer.anchor}).
   */
  waitingForStart(room: string): boolean;
  /** How long an out-of-order message waits for the ones before it before they are read. */
  holdMs: number;
  onReadError(room: string, error: unknown): void;
}

/** Past this many held messages a room reads its gap at once instead of waiting. */
const MAX_HELD = 1000;
/** A room whose start is unknown waits at most this many hold periods for its members' reads. */
const MAX_START_WAITS = 10;

interface RoomOrder {
  /** Highest seq emitted; undefined until the room's start is known. */
  position: number | undefined;
  /** Lowest starting point reported by members while the start was unknown. */
  candidate: number | undefined;
  /** A seq a member's read proved stored: everything up to it must be emitted. */
  known: number;
  held: Map<number, LogEntry>;
  timer: NodeJS.Timeout | undefined;
  startWaits: number;
  reading: boolean;
  /** After the bus reconnected: read everything after `position`, whatever is held. */
  readToEnd: boolean;
}

/**
 * Puts each room's live log entries (messages, edits, deletes, reactions, membership changes: one
 * seq counter for all) back into seq order on this instance. Messages from several
 * instances arrive out of order, and some never arrive (Redis down, a publisher killed between
 * its commit and its publish). A message whose predecessors are missing is held for `holdMs`
 * waiting for them; if they do not come, they are read from the store. Only rooms with members
 * on this instance are tracked.
 */
export class RoomSequencer {
  private readonly rooms = new Map<string, RoomOrder>();

  constructor(private readonly options: RoomSequencerOptions) {}

  accept(entry: LogEntry): void {
    const { room, seq } = entry.data;
    const order = this.orderOf(room);
    if (order.position !== undefined && seq <= order.position) return;
    order.held.set(seq, entry);
    this.settle(room, order);
  }

  /** A member went live having read the room up to `seq` from the store. */
  anchor(room: string, seq: number): void {
    const order = this.orderOf(room);
    if (order.position === undefined) order.candidate = Math.min(order.candidate ?? seq, seq);
    else order.known = Math.max(order.known, seq);
    this.settle(room, order);
  }

  /**
   * Reads whatever every tracked room (or only `room`) missed while the bus was away. A room
   * whose start is not known yet reads once it is: its members' reads may have ended before
   * the bus started hearing the room (a subscription confirmed late). Only for a room with
   * members here (the caller's to check).
   */
  catchUp(room?: string): void {
    const rooms = room === undefined ? this.rooms : new Map([[room, this.orderOf(room)]]);
    for (const [name, order] of rooms) {
      if (order.position === undefined && room === undefined) continue;
      order.readToEnd = true;
      this.settle(name, order);
    }
  }

  /** The room has no members here any more. */
  forget(room: string): void {
    clearTimeout(this.rooms.get(room)?.timer);
    this.rooms.delete(room);
  }

  close(): void {
    for (const room of [...this.rooms.keys()]) this.forget(room);
  }

  private orderOf(room: string): RoomOrder {
    let order = this.rooms.get(room);
    if (!order) {
      order = {
        position: undefined,
        candidate: undefined,
        known: 0,
        held: new Map(),
        timer: undefined,
        startWaits: 0,
        reading: false,
        readToEnd: false,
      };
      this.rooms.set(room, order);
    }
    return order;
  }

  /** Emits what can be emitted, then decides whether to wait, read, or rest. */
  private settle(room: string, order: RoomOrder): void {
    if (order.position === undefined && !this.start(room, order)) return;
    this.drain(order);
    if (order.reading) return; // settles again when the read is done
    if (order.readToEnd || order.held.size > MAX_HELD) void this.readGap(room, order);
    else if (order.held.size > 0 || order.known > order.position!) this.arm(room, order);
    else this.disarm(order);
  }

  /** Fixes the room's starting position, unless members' reads are worth waiting for. */
  private start(room: string, order: RoomOrder): boolean {
    if (this.options.waitingForStart(room) && order.startWaits < MAX_START_WAITS) {
      if (order.held.size > 0) this.arm(room, order);
      return false;
    }
    const lowestHeld = Math.min(...order.held.keys());
    order.position = order.candidate ?? (order.held.size > 0 ? lowestHeld - 1 : undefined);
    return order.position !== undefined;
  }

  private drain(order: RoomOrder): void {
    let position = order.position!;
    for (const seq of order.held.keys()) if (seq <= position) order.held.delete(seq);
    for (let next = order.held.get(position + 1); next; next = order.held.get(position + 1)) {
      order.held.delete(next.data.seq);
      position = next.data.seq;
      this.options.emit(next);
    }
    order.position = position;
  }

  private arm(room: string, order: RoomOrder): void {
    if (order.timer) return;
    order.timer = setTimeout(() => {
      order.timer = undefined;
      if (this.rooms.get(room) !== order) return;
      if (order.position === undefined) {
        order.startWaits++;
        this.settle(room, order);
      } else {
        void this.readGap(room, order);
      }
    }, this.options.holdMs);
    order.timer.unref();
  }

  private disarm(order: RoomOrder): void {
    clearTimeout(order.timer);
    order.timer = undefined;
  }

  /** Reads the entries missing after `position` from the store and emits them in order. */
  private async readGap(room: string, order: RoomOrder): Promise<void> {
    this.disarm(order);
    order.reading = true;
    const after = order.position!;
    const toEnd = order.readToEnd;
    order.readToEnd = false;
    const lowestHeld = order.held.size > 0 ? Math.min(...order.held.keys()) : undefined;
    const before = toEnd ? undefined : (lowestHeld ?? order.known + 1);
    let entries: LogEntry[] = [];
    try {
      entries = await this.options.read(room, after, before);
    } catch (error) {
      this.options.onReadError(room, error);
    }
    if (this.rooms.get(room) !== order) return; // forgotten meanwhile
    order.reading = false;
    for (const entry of entries) if (entry.data.seq > order.position!) order.held.set(entry.data.seq, entry);
    this.drain(order);
    // What the store could not give now (a failed or capped read) is skipped: members' clients
    // see the jump and ask for the range themselves.
    if (before !== undefined && order.position! < before - 1) {
      const heldInRange = [...order.held.keys()].filter((seq) => seq < before);
      order.position = heldInRange.length > 0 ? Math.min(...heldInRange) - 1 : before - 1;
    }
    this.settle(room, order);
  }
}
