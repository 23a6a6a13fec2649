import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import type { ChatMessage } from '@chat/contracts';
import { Composer } from './Composer.js';

const original: ChatMessage = {
  id: 'm1',
  room: 'general',
  seq: 1,
  user: { id: 'u-ann', name: 'ann', guest: false },
  text: 'lunch?',
  time: '2026-01-01T10:00:00.000Z',
};

describe(Composer.name, () => {
  it('should edit your last message on Up in an empty field, and not while you type', () => {
    const onEditLast = jest.fn(() => true);
    render(
      <Composer
        label="Message #general"
        onSend={jest.fn()}
        onTyping={jest.fn()}
        maxLength={100}
        onEditLast={onEditLast}
      />,
    );
    const field = screen.getByLabelText('Message #general');
    fireEvent.keyDown(field, { key: 'ArrowUp' });
    expect(onEditLast).toHaveBeenCalledTimes(1);
    fireEvent.change(field, { target: { value: 'draft' } });
    fireEvent.keyDown(field, { key: 'ArrowUp' });
    expect(onEditLast).toHaveBeenCalledTimes(1);
  });

  it('should say whom a reply answers, and cancel it on Escape', () => {
    const onCancelReply = jest.fn();
    const onSend = jest.fn();
    render(
      <Composer
        label="Message #general"
        onSend={onSend}
        onTyping={jest.fn()}
        maxLength={100}
        replyingTo={original}
        onCancelReply={onCancelReply}
      />,
    );
    expect(screen.getByRole('status').textContent).toContain('Replying to ann');
    const field = screen.getByLabelText('Reply to ann');
    fireEvent.keyDown(field, { key: 'Escape' });
    expect(onCancelReply).toHaveBeenCalled();
    fireEvent.change(field, { target: { value: 'yes' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('yes');
  });
});
