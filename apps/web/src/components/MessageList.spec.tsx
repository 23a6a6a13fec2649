import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import type { ChatMessage, User } from '@chat/contracts';
import { ConversationContext, type Conversation } from './messages/ConversationContext.js';
import { MessageList } from './MessageList.js';

const me: User = { id: 'u-me', name: 'me', guest: false };
const ann: User = { id: 'u-ann', name: 'ann', guest: false };
const message = (seq: number, user: User = ann): ChatMessage => ({
  id: `m${seq}`,
  room: 'general',
  seq,
  user,
  text: `text ${seq}`,
  time: '2026-01-01T10:00:00.000Z',
});
const conversation = {
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
} satisfies Conversation;

function show(messages: ChatMessage[], marker: number | null) {
  render(
    <ConversationContext.Provider value={conversation}>
      <MessageList
        label="Messages in #general"
        scope="room"
        messages={messages}
        pending={[]}
        me={me}
        historyUntil={10}
        marker={marker}
        hasMore={false}
        loadingOlder={false}
        onLoadOlder={jest.fn()}
        onRetry={jest.fn()}
        onDiscard={jest.fn()}
        onEscape={jest.fn()}
      />
    </ConversationContext.Provider>,
  );
}

describe(MessageList.name, () => {
  it('should draw the "New messages" line before the first message by someone else past the marker', () => {
    show([message(1), message(3, me), message(4), message(6)], 2);
    const items = [...document.querySelectorAll('ol.messages > li')].map((li) => li.textContent);
    const line = items.indexOf('New messages');
    expect(line).toBeGreaterThan(-1);
    expect(items[line + 1]).toContain('text 4');
  });

  it('should draw no line when everything is read', () => {
    show([message(1), message(2)], 2);
    expect(screen.queryByText('New messages')).toBeNull();
  });

  it('should be one tab stop, moving between messages with Up and Down, the focused one’s actions tabbable', () => {
    show([message(1), message(2), message(3)], null);
    const region = screen.getByRole('region', { name: 'Messages in #general' });
    const tabbable = [...document.querySelectorAll('li.message, li.message button')].filter(
      (element) => element.getAttribute('tabindex') !== '-1',
    );
    expect(tabbable).toEqual([]);
    expect(region.tabIndex).toBe(0);
    fireEvent.keyDown(region, { key: 'ArrowUp' });
    expect(document.activeElement?.getAttribute('data-message-id')).toBe('m3');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement?.getAttribute('data-message-id')).toBe('m1');
    const toolbar = document.activeElement!.querySelectorAll('[role="toolbar"] button');
    expect([...toolbar].every((button) => button.getAttribute('tabindex') === '0')).toBe(true);
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement?.getAttribute('data-message-id')).toBe('m3');
  });
});
