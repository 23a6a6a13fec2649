import { describe, expect, it } from '@jest/globals';
import { render } from '@testing-library/react';
import { UserName } from './UserName.js';

describe(UserName.name, () => {
  it('should mark a bot with a "bot" badge that screen readers hear as "(bot)"', () => {
    const { container } = render(
      <UserName user={{ id: 'bot-1', name: 'timebot', guest: false, bot: true }} />,
    );
    const mark = container.querySelector('.bot-mark')!;
    expect(mark.getAttribute('title')).toBe('Bot: posted by a program, not a person');
    expect(container.textContent).toBe('timebot (bot)');
    expect(container.querySelector('.guest-mark')).toBeNull();
  });

  it('should mark neither a registered user nor a guest as a bot', () => {
    const account = render(<UserName user={{ id: 'u-1', name: 'Alice', guest: false }} />);
    expect(account.container.textContent).toBe('Alice');
    const guest = render(<UserName user={{ id: 'g-1', name: 'timebot', guest: true }} />);
    expect(guest.container.textContent).toBe('timebot (guest)');
    expect(guest.container.querySelector('.bot-mark')).toBeNull();
  });
});
