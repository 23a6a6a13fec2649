import { useEffect, useRef } from 'react';

/** Alt+Up / Alt+Down: previous / next room, from anywhere in the app (the composer included). */
export function useRoomShortcuts(rooms: string[], active: string, select: (room: string) => void): void {
  const current = useRef({ rooms, active, select });
  useEffect(() => {
    current.current = { rooms, active, select };
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const step = { ArrowUp: -1, ArrowDown: 1 }[event.key];
      if (step === undefined) return;
      const { rooms, active, select } = current.current;
      const index = rooms.indexOf(active);
      const next = rooms[index + step];
      if (index === -1 || next === undefined) return;
      event.preventDefault();
      select(next);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
