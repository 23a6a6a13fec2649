import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { RoomSummary } from '@chat/contracts';
import { RoomDirectory } from './RoomDirectory.js';

const summary = (name: string, extra: Partial<RoomSummary> = {}): RoomSummary => ({
  name,
  kind: 'public',
  memberCount: 3,
  online: 1,
  lastActivity: null,
  lastSeq: 0,
  ...extra,
});
const ALL = [summary('design', { topic: 'pixels' }), summary('dev'), summary('random')];

describe(RoomDirectory.name, () => {
  it('should search by prefix, and join a room or open one you are in', async () => {
    const search = jest.fn(async (q: string) => ALL.filter((r) => r.name.startsWith(q)));
    const onJoin = jest.fn();
    const onClose = jest.fn();
    render(<RoomDirectory joined={['general', 'dev']} onJoin={onJoin} onClose={onClose} search={search} />);
    await screen.findByText('3 rooms');
    fireEvent.change(screen.getByLabelText('Search rooms by name'), { target: { value: 'De' } });
    await screen.findByText('2 rooms');
    expect(search).toHaveBeenLastCalledWith('de');
    expect(screen.getByText('pixels')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Open dev' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Join design' }));
    await waitFor(() => expect(onJoin).toHaveBeenCalledWith('design'));
    expect(onClose).toHaveBeenCalled();
  });
});
