import { describe, expect, it } from '@jest/globals';
import { render } from '@testing-library/react';
import type { ChatMessage, User } from '@chat/contracts';
import { notificationFor } from '../notifications/notify.js';
import { MessageItem } from './MessageItem.js';
import { typingText } from './TypingLine.js';

const RLO = '\u202E';
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const evil: User = { id: 'u-evil', name: `evil${RLO}gnp.exe`, guest: true };

describe('bidi controls in what others wrote', () => {
  it('should show a name and a text in the order they were written, each isolated', () => {
    const { container } = render(
      <ul>
        <MessageItem
          user={evil}
          time="2026-01-01T00:00:00.000Z"
          text={`open ${RLO}fdp.exe\u2066 now`}
          mine={false}
        />
      </ul>,
    );
    const name = container.querySelector('.user-name__name')!;
    expect(name.tagName).toBe('BDI');
    expect(name.textContent).toBe('evilgnp.exe');
    expect(name.getAttribute('title')).toBe('evilgnp.exe');
    const text = container.querySelector('.message__text')!;
    expect(text.getAttribute('dir')).toBe('auto');
    expect(text.textContent).toBe('open fdp.exe now');
    expect(container.textContent).not.toMatch(BIDI);
  });

  it('should clean links too, both their text and their target', () => {
    const { container } = render(
      <ul>
        <MessageItem
          user={evil}
          time="2026-01-01T00:00:00.000Z"
          text={`see https://example.com/${RLO}fdp.exe`}
          mine={false}
        />
      </ul>,
    );
    const link = container.querySelector('a')!;
    expect(link.textContent).toBe('https://example.com/fdp.exe');
    expect(link.getAttribute('href')).toBe('https://example.com/fdp.exe');
  });

  it('should clean the typing line', () => {
    expect(typingText([{ user: evil, until: 0 }])).toBe('evilgnp.exe is typing…');
  });

  it('should clean notifications, title and body', () => {
    const message: ChatMessage = {
      id: 'm1',
      room: 'ops',
      seq: 1,
      user: evil,
      text: `${RLO}txt.exe`,
      time: '2026-01-01T00:00:00.000Z',
    };
    expect(notificationFor(message)).toEqual({
      title: 'evilgnp.exe (guest) in #ops',
      options: { body: 'txt.exe', tag: 'chat-room-ops' },
    });
  });

  it('should isolate a right-to-left name in a notification title, so "(guest)" stays after it', () => {
    const message: ChatMessage = {
      id: 'm1',
      room: 'ops',
      seq: 1,
      user: { id: 'u-dana', name: 'דנה', guest: true },
      text: 'hi',
      time: '2026-01-01T00:00:00.000Z',
    };
    expect(notificationFor(message).title).toBe('\u2068דנה\u2069 (guest) in #ops');
  });
});
