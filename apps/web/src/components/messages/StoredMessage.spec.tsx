import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import type { ChatMessage, User } from '@chat/contracts';
import { ConversationContext, type Conversation } from './ConversationContext.js';
import { StoredMessage } from './StoredMessage.js';

const me: User = { id: 'u-me', name: 'me', guest: false };
const ann: User = { id: 'u-ann', name: 'ann', guest: false };
const message = (extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id: 'm1',
  room: 'general',
  seq: 1,
  user: ann,
  text: 'hello',
  time: '2026-01-01T10:00:00.000Z',
  ...extra,
});

function conversation(extra: Partial<Conversation> = {}): Conversation {
  return {
    me,
    canModerate: false,
    canWrite: true,
    threads: true,
    reply: jest.fn(),
    react: jest.fn(),
    edit: jest.fn(),
    remove: jest.fn(),
    openThread: jest.fn(),
    jumpTo: jest.fn(),
    editing: null,
    startEditing: jest.fn(),
    stopEditing: jest.fn(),
    ...extra,
  };
}

function show(m: ChatMessage, c: Conversation = conversation()) {
  render(
    <ConversationContext.Provider value={c}>
      <ol>
        <StoredMessage message={m} scope="room" current onFocused={() => undefined} />
      </ol>
    </ConversationContext.Provider>,
  );
  return { c, item: document.querySelector<HTMLLIElement>('li.message')! };
}

describe(StoredMessage.name, () => {
  it('should show a tombstone, with no text, reactions nor actions', () => {
    const { item } = show(message({ text: '', deleted: true }));
    expect(item.textContent).toContain('This message was deleted');
    expect(screen.queryByRole('toolbar')).toBeNull();
    expect(item.getAttribute('aria-keyshortcuts')).toBeNull();
  });

  it('should mark an edited message, and show reactions that toggle yours', () => {
    const { c } = show(
      message({
        editedAt: '2026-01-01T10:05:00.000Z',
        reactions: [
          { emoji: '👍', count: 2, me: true },
          { emoji: '🎉', count: 1, me: false },
        ],
      }),
    );
    expect(screen.getByText('(edited)')).toBeTruthy();
    const thumbs = screen.getByRole('button', { name: 'thumbs up: 2, including you' });
    expect(thumbs.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(thumbs);
    fireEvent.click(screen.getByRole('button', { name: 'party popper: 1' }));
    expect(c.react).toHaveBeenNthCalledWith(1, expect.objectContaining({ id: 'm1' }), '👍', false);
    expect(c.react).toHaveBeenNthCalledWith(2, expect.objectContaining({ id: 'm1' }), '🎉', true);
  });

  it('should quote what a reply answers, and jump there on a click', () => {
    const { c } = show(message({ replyTo: { id: 'm0', user: me, text: 'the original' } }));
    fireEvent.click(screen.getByRole('button', { name: /In reply to me.*the original/ }));
    expect(c.jumpTo).toHaveBeenCalledWith('m0');
  });

  it('should show how many replies a root has, opening its thread', () => {
    const { c } = show(message({ thread: { replyCount: 3, lastReplyAt: null } }));
    fireEvent.click(screen.getByRole('button', { name: '3 replies' }));
    expect(c.openThread).toHaveBeenCalled();
  });

  it('should offer Edit on your own message only, and Delete to the author or a moderator', () => {
    show(message());
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    document.body.innerHTML = '';
    show(message({ user: me }));
    expect(screen.getByRole('button', { name: 'Edit' })).toBeTruthy();
    document.body.innerHTML = '';
    show(message(), conversation({ canModerate: true }));
    expect(screen.getByRole('button', { name: 'Delete' })).toBeTruthy();
  });

  it('should take shortcuts on the focused message: R, E, T, + and Delete (with a confirmation)', () => {
    const { c, item } = show(message({ user: me }));
    for (const key of ['r', 'e', 't']) fireEvent.keyDown(item, { key });
    expect(c.reply).toHaveBeenCalled();
    expect(c.startEditing).toHaveBeenCalledWith('m1');
    expect(c.openThread).toHaveBeenCalled();
    fireEvent.keyDown(item, { key: '+' });
    expect(screen.getByRole('group', { name: 'Pick a reaction' })).toBeTruthy();
    expect(document.activeElement?.getAttribute('aria-label')).toBe('React with thumbs up');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(document.activeElement?.getAttribute('aria-label')).toBe('React with red heart');
    fireEvent.click(document.activeElement!);
    expect(c.react).toHaveBeenCalledWith(expect.objectContaining({ id: 'm1' }), '❤️', true);
    expect(screen.queryByRole('group', { name: 'Pick a reaction' })).toBeNull();
    expect(document.activeElement?.textContent).toBe('React'); // focus back on the opener

    fireEvent.keyDown(item, { key: 'Delete' });
    expect(c.remove).not.toHaveBeenCalled();
    const confirm = screen.getByRole('group', { name: 'Delete this message?' });
    expect(confirm.contains(document.activeElement)).toBe(true);
    fireEvent.click(document.activeElement!);
    expect(c.remove).toHaveBeenCalled();
    expect(document.activeElement).toBe(item);
  });

  it('should edit in place: Enter saves the new text, Escape cancels', () => {
    const c = conversation({ editing: 'm1' });
    show(message({ user: me }), c);
    const field = screen.getByLabelText('Edit your message');
    fireEvent.change(field, { target: { value: 'hello, fixed' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(c.edit).toHaveBeenCalledWith(expect.objectContaining({ id: 'm1' }), 'hello, fixed');
    fireEvent.keyDown(field, { key: 'Escape' });
    expect(c.stopEditing).toHaveBeenCalledTimes(2);
  });

  it('should offer a DM from the name of a registered author, not from a guest’s or your own', () => {
    const messageUser = jest.fn();
    show(message(), conversation({ messageUser }));
    fireEvent.click(screen.getByRole('button', { name: 'ann' }));
    expect(messageUser).toHaveBeenCalledWith(ann);
    document.body.innerHTML = '';
    show(message({ user: { id: 'g', name: 'visitor', guest: true } }), conversation({ messageUser }));
    expect(screen.queryByRole('button', { name: /visitor/ })).toBeNull();
  });
});
