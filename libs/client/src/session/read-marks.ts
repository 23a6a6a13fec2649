import { frame } from '../chat/frames.js';

/** Read markers go out at most this often per room: scrolling through a busy room is one frame a second. */
export const READ_EVERY_MS = 1000;

/** Sends `read {room, seq}` the first time at once, then at most once per window with the newest seq. */
export class ReadMarks {
  private readonly timers = new Map<string, { timer: ReturnType<typeof setTimeout>; seq: number }>();

  constructor(private readonly send: (data: string) => boolean) {}

  mark(room: string, seq: number): void {
    const waiting = this.timers.get(room);
    if (waiting) {
      waiting.seq = Math.max(waiting.seq, seq);
      return;
    }
    this.send(frame('read', { room, seq }));
    const entry = {
      seq,
      timer: setTimeout(() => {
        this.timers.delete(room);
        if (entry.seq > seq) this.send(frame('read', { room, seq: entry.seq }));
      }, READ_EVERY_MS),
    };
    this.timers.set(room, entry);
  }

  stop(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
