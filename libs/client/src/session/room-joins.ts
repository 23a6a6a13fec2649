import type { ArrivalTracker } from '../chat/arrivals.js';
import { gapAfter, type RoomState } from '../chat/chat-state.js';
import { frame } from '../chat/frames.js';

/**
 * Which rooms the current socket is in, and joining them: once each, with `since` at the room's
 * resume point, and again from before a gap.
 */
export class RoomJoins {
  /** Rooms joined on the current socket; sends to other rooms wait in the outbox. */
  readonly live = new Set<string>();
  /** Rooms asked for (`join`) on the current socket and not answered yet. */
  readonly joining = new Set<string>();
  private readonly gapsAsked = new Map<string, number>();

  constructor(
    private readonly send: (data: string) => boolean,
    /** The room's resume point as held now. */
    private readonly resumePoint: (room: string) => number | undefined,
    private readonly arrivals: ArrivalTracker,
  ) {}

  /** Joins (or resumes) `room` on this socket. */
  join(room: string): void {
    const since = this.resumePoint(room);
    this.joining.add(room);
    this.send(frame('join', since ? { room, since } : { room }));
  }

  /** Joins `room` unless it is joined or being joined. */
  ensureJoined(room: string): void {
    if (!this.live.has(room) && !this.joining.has(room)) this.join(room);
  }

  /** The answer came: the room is live on this socket. */
  joined(room: string): void {
    this.joining.delete(room);
    this.live.add(room);
  }

  /** Nothing more of `room` is expected on this socket (left, removed). */
  forget(room: string): void {
    this.live.delete(room);
    this.joining.delete(room);
    this.arrivals.forget(room);
  }

  /** A new socket (or none): nothing is joined on it yet. */
  reset(): void {
    this.live.clear();
    this.joining.clear();
  }

  /**
   * A seq jump means live entries were lost on the way (an instance died between storing and
   * fanning out, Redis was down): resume the room from before the gap, which the server answers
   * with what is missing, once and in order. Once per resume point, so a gap the server cannot
   * fill either is not asked about in a loop.
   */
  askGaps(rooms: ReadonlyMap<string, RoomState>): void {
    for (const [room, current] of rooms) {
      const since = gapAfter(current);
      if (since === null || !this.live.has(room) || this.gapsAsked.get(room) === since) continue;
      this.gapsAsked.set(room, since);
      this.join(room);
    }
  }
}
