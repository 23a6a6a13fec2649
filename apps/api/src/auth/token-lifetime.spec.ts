import { describe, expect, it } from '@jest/globals';
import { lifetimeExcess } from './token-lifetime.js';

const DAY = 24 * 3600;
const SKEW = 60;
const NOW = 1_800_000_000;

describe(lifetimeExcess.name, () => {
  it('should refuse a token whose iat lies in the future, measuring from now', () => {
    // exp - iat is exactly the cap: only the distance from now shows the token lives 31 days.
    expect(lifetimeExcess(NOW + 31 * DAY, NOW + 30 * DAY, NOW, DAY, SKEW)).toEqual({
      lifetime: 31 * DAY,
      from: 'now',
    });
  });

  it('should refuse a token without iat whose exp is beyond the cap and the skew from now', () => {
    expect(lifetimeExcess(NOW + DAY + SKEW + 1, undefined, NOW, DAY, SKEW)).toEqual({
      lifetime: DAY + SKEW + 1,
      from: 'now',
    });
    expect(lifetimeExcess(NOW + DAY + SKEW, undefined, NOW, DAY, SKEW)).toBeNull();
  });

  it('should refuse a long-lived token on its last day too, measuring from iat', () => {
    expect(lifetimeExcess(NOW + 600, NOW - 30 * DAY + 600, NOW, DAY, SKEW)).toEqual({
      lifetime: 30 * DAY,
      from: 'iat',
    });
  });

  it('should accept a token of exactly the cap, issued now or up to the skew ahead of our clock', () => {
    expect(lifetimeExcess(NOW + DAY, NOW, NOW, DAY, SKEW)).toBeNull();
    expect(lifetimeExcess(NOW + SKEW + DAY, NOW + SKEW, NOW, DAY, SKEW)).toBeNull();
  });

  it('should take a cap of 0 as no cap', () => {
    expect(lifetimeExcess(NOW + 100 * 365 * DAY, undefined, NOW, 0, SKEW)).toBeNull();
  });
});
