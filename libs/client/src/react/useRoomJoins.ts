import { useCallback, useEffect, useRef, type RefObject } from 'react';
import type { ArrivalTracker } from '../chat/arrivals.js';
import { gapAfter, type RoomState } from '../chat/chat-state.js';
import { frame } from '../chat/frames.js';

export interface RoomJoins {
  /** Rooms joined on the current socket; sends to other rooms wait in the outbox. */
  liveRooms: RefObject<Set<string>>;
  /** Rooms asked for (`join`) on the current socket and not answered yet. */
  joining: RefObject<Set<string>>;
  /** Joins (or resumes, with `since` at the room's resume point) `room` on this socket. */
  join: (room: string) => void;
  /** Joins `room` unless it is joined or being joined. */
  ensureJoined: (room: string) => void;
  /** Nothing more of `room` is expected on this socket (left, removed). */
  forget: (room: string) => void;
}

interface RoomJoinsDeps {
  sendRaw: (data: string) => boolean;
  /** The room's resume point as held now (stable: it reads the latest state). */
  resumePoint: (room: string) => number | undefined;
  rooms: ReadonlyMap<string, RoomState>;
  arrivals: RefObject<ArrivalTracker>;
}

/** Which rooms this socket is in, and joining them: once each, and again from before a gap. */
export function useRoomJoins({ sendRaw, resumePoint, rooms, arrivals }: RoomJoinsDeps): RoomJoins {
  const liveRooms = useRef(new Set<string>());
  const joining = useRef(new Set<string>());
  const join = useCallback(
    (room: string) => {
      const since = resumePoint(room);
      joining.current.add(room);
      sendRaw(frame('join', since ? { room, since } : { room }));
    },
    [sendRaw, resumePoint],
  );
  const ensureJoined = useCallback(
    (room: string) => {
      if (!liveRooms.current.has(room) && !joining.current.has(room)) join(room);
    },
    [join],
  );
  const forget = useCallback(
    (room: string) => {
      liveRooms.current.delete(room);
      joining.current.delete(room);
      arrivals.current.forget(room);
    },
    [arrivals],
  );

  // A seq jump means live entries were lost on the way (an instance died between storing and
  // fanning out, Redis was down): resume the room from before the gap, which the server answers
  // with what is missing, once and in order. Once per resume point, so a gap the server cannot
  // fill either is not asked about in a loop.
  const gapsAsked = useRef(new Map<string, number>());
  useEffect(() => {
    for (const [room, current] of rooms) {
      const since = gapAfter(current);
      if (since === null || !liveRooms.current.has(room) || gapsAsked.current.get(room) === since) continue;
      gapsAsked.current.set(room, since);
      join(room);
    }
  }, [rooms, join]);

  return { liveRooms, joining, join, ensureJoined, forget };
}
