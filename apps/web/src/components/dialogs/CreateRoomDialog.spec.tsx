import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { CreateRoomRequest } from '@chat/contracts';
import { ApiError } from '../../api/http.js';
import { CreateRoomDialog } from './CreateRoomDialog.js';
import { UsernameDialog } from './UsernameDialog.js';

describe(CreateRoomDialog.name, () => {
  it('should refuse a bad name before asking the server, then create a private room with its topic', async () => {
    const onCreate = jest.fn(async (_request: CreateRoomRequest) => undefined);
    const onClose = jest.fn();
    render(<CreateRoomDialog onCreate={onCreate} onClose={onClose} />);
    const dialog = screen.getByRole('dialog', { name: 'Create a room' });
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'no spaces please' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create room' }));
    expect((await screen.findByRole('alert')).textContent).toContain('room names are');
    expect(onCreate).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Plans' } });
    fireEvent.click(screen.getByLabelText('Private: only people you invite'));
    fireEvent.change(screen.getByLabelText('Topic (optional)'), { target: { value: 'next steps' } });
    fireEvent.submit(dialog.querySelector('form')!);
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(onCreate).toHaveBeenCalledWith({ name: 'plans', kind: 'private', topic: 'next steps' });
  });

  it('should show the server’s refusal (a taken name) and stay open', async () => {
    const taken = new ApiError(409, { code: 'conflict', message: 'the room "plans" exists already' });
    const onClose = jest.fn();
    render(<CreateRoomDialog onCreate={() => Promise.reject(taken)} onClose={onClose} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'plans' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create room' }));
    expect((await screen.findByRole('alert')).textContent).toBe('the room "plans" exists already');
    expect(onClose).not.toHaveBeenCalled();
  });
});

describe(UsernameDialog.name, () => {
  it('should invite one person after another when it stays open, saying each is done', async () => {
    const onSubmit = jest.fn(async (_username: string) => undefined);
    render(
      <UsernameDialog
        title="Invite people to #plans"
        action="Invite"
        keepOpen
        onSubmit={onSubmit}
        onClose={jest.fn()}
      />,
    );
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: ' bob ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Invite' }));
    await screen.findByText('Invite: bob — done.');
    expect(onSubmit).toHaveBeenCalledWith('bob');
    expect((screen.getByLabelText('Username') as HTMLInputElement).value).toBe('');
  });
});
