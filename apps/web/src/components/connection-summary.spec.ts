import { describe, expect, it } from '@jest/globals';
import { summarizeConnection } from './connection-summary.js';

const close = { code: 1006, reason: '', final: false };

describe(summarizeConnection.name, () => {
  it('should say connected, and call pending messages "sending" while the socket is open', () => {
    const summary = summarizeConnection({
      state: { status: 'open', lastClose: null },
      secondsLeft: 0,
      pending: 1,
      online: true,
    });
    expect(summary).toMatchObject({ tone: 'ok', title: 'Connected', pending: '1 sending', canRetry: false });
  });

  it('should count down to the next attempt outside the title, and offer a retry only then', () => {
    const waiting = summarizeConnection({
      state: { status: 'reconnecting', lastClose: close },
      secondsLeft: 4,
      pending: 2,
      online: true,
    });
    expect(waiting).toMatchObject({
      title: 'Connection lost',
      detail: 'Reconnecting in 4 s',
      pending: '2 waiting to send',
      canRetry: true,
    });
    const trying = summarizeConnection({
      state: { status: 'reconnecting', lastClose: close },
      secondsLeft: 0,
      pending: 0,
      online: true,
    });
    expect(trying).toMatchObject({ title: 'Connection lost', detail: 'Reconnecting…', canRetry: false });
    expect(trying.pending).toBeNull();
  });

  it('should say when the browser itself is offline', () => {
    const summary = summarizeConnection({
      state: { status: 'reconnecting', lastClose: close },
      secondsLeft: 3,
      pending: 0,
      online: false,
    });
    expect(summary.title).toBe('You are offline');
  });

  it('should say offline, not connected or connecting, once the socket knows the network is gone', () => {
    const summary = summarizeConnection({
      state: { status: 'offline', lastClose: close },
      secondsLeft: 0,
      pending: 2,
      online: false,
    });
    expect(summary).toMatchObject({ title: 'You are offline', pending: '2 waiting to send' });
  });

  it('should say a refused connection is not coming back by itself', () => {
    const summary = summarizeConnection({
      state: { status: 'closed', lastClose: { code: 4403, reason: 'forbidden', final: true } },
      secondsLeft: 0,
      pending: 0,
      online: true,
    });
    expect(summary).toMatchObject({ tone: 'bad', title: 'Disconnected', canRetry: true });
    expect(summary.detail).toContain('refused');
  });
});
