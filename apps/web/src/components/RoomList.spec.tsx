import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { RoomInfo } from '@chat/contracts';
import { EMPTY_ROOM, type RoomState } from '@chat/client';
import { RoomList } from './RoomList.js';
import { badgeCount } from './rooms/RoomEntry.js';

const info = (name: string, extra: Partial<RoomInfo> = {}): RoomInfo => ({
  name,
  kind: 'public',
  role: 'member',
  memberCount: 2,
  lastSeq: 10,
  readSeq: 10,
  unread: 0,
  mentions: 0,
  lastActivity: null,
  ...extra,
});
const rooms = new Map<string, RoomState>(
  [
    info('general', { unread: 3 }),
    info('plans', { kind: 'private', unread: 2, mentions: 1 }),
    info('dm-x', { kind: 'dm', dmWith: { id: 'u-b', name: 'bob', guest: false } }),
  ].map((i) => [i.name, { ...EMPTY_ROOM, info: i }]),
);

function show() {
  const handlers = {
    onSelect: jest.fn(),
    onOpen: jest.fn(),
    onLeave: jest.fn(),
    onBrowse: jest.fn(),
    onCreate: jest.fn(),
    onNewDm: jest.fn(),
  };
  render(
    <RoomList order={['general', 'plans', 'dm-x']} active="general" rooms={rooms} canCreate {...handlers} />,
  );
  return handlers;
}

describe(RoomList.name, () => {
  it('should list rooms and DMs in their own sections, with the server’s unread and mention counts', () => {
    show();
    const roomsSection = screen.getByRole('region', { name: 'Rooms' });
    const dms = screen.getByRole('region', { name: 'Direct messages' });
    expect(within(roomsSection).getByRole('button', { name: '# general 3 unread' })).toBeTruthy();
    expect(
      within(roomsSection).getByRole('button', { name: 'private room plans @1 mention 2 unread' }),
    ).toBeTruthy();
    expect(within(dms).getByRole('button', { name: 'bob' })).toBeTruthy();
  });

  it('should say 999+ where the server stopped counting (at 1000)', () => {
    expect([badgeCount(1), badgeCount(999), badgeCount(1000), badgeCount(1200)]).toEqual([
      '1',
      '999',
      '999+',
      '999+',
    ]);
  });

  it('should leave any room but general, and offer browse, create and new DM', () => {
    const handlers = show();
    expect(screen.queryByRole('button', { name: 'Leave # general' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Leave bob' }));
    expect(handlers.onLeave).toHaveBeenCalledWith('dm-x');
    fireEvent.click(screen.getByRole('button', { name: 'Browse rooms' }));
    fireEvent.click(screen.getByRole('button', { name: 'Create a room' }));
    fireEvent.click(screen.getByRole('button', { name: 'New direct message' }));
    expect(
      [handlers.onBrowse, handlers.onCreate, handlers.onNewDm].every((f) => f.mock.calls.length === 1),
    ).toBe(true);
  });
});
