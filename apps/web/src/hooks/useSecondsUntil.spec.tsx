import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, renderHook } from '@testing-library/react';
import { useSecondsUntil } from './useSecondsUntil.js';

describe(useSecondsUntil.name, () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T10:00:00.000Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('should count a new wait from the clock of now, not from the last tick', () => {
    const { result, rerender } = renderHook(({ time }) => useSecondsUntil(time), {
      initialProps: { time: null as number | null },
    });
    expect(result.current).toBe(0);
    // Nothing ticks while there is nothing to wait for: ten seconds pass unseen.
    act(() => jest.advanceTimersByTime(10_000));
    rerender({ time: Date.now() + 5_000 });
    expect(result.current).toBe(5);
  });

  it('should tick down to zero and stay there', () => {
    const time = Date.now() + 2_000;
    const { result } = renderHook(() => useSecondsUntil(time));
    expect(result.current).toBe(2);
    act(() => jest.advanceTimersByTime(1_000));
    expect(result.current).toBe(1);
    act(() => jest.advanceTimersByTime(5_000));
    expect(result.current).toBe(0);
  });
});
