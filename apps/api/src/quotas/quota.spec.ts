import { describe, expect, it } from '@jest/globals';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { RateLimitedError } from '../common/errors/chat-errors.js';
import { Quota } from './quota.js';
import { quotaLimiter } from './quota-limiter.js';

const limiter = (points: number) => new RateLimiterMemory({ points, duration: 60 });

describe(Quota.name, () => {
  it('should allow the per-user quota, then refuse with the wait', async () => {
    let refusals = 0;
    const sut = new Quota('messages', limiter(2), null, () => refusals++);
    await sut.take({ userId: 'u1', ip: '203.0.113.1' });
    await sut.take({ userId: 'u1', ip: '203.0.113.1' });
    const refused = await sut.take({ userId: 'u1', ip: '203.0.113.1' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
    expect((refused as RateLimitedError).message).toContain('for your account: at most 2 per minute');
    expect(refusals).toBe(1);
    // Another user is counted apart.
    await sut.take({ userId: 'u2', ip: '203.0.113.1' });
  });

  it('should count every user of one address, and of one IPv6 /64, together', async () => {
    const sut = new Quota('messages', null, limiter(2));
    await sut.take({ userId: 'a', ip: '2001:db8:1:2::1' });
    await sut.take({ userId: 'b', ip: '2001:db8:1:2::ffff' });
    await expect(sut.take({ userId: 'c', ip: '2001:db8:1:2:3:4:5:6' })).rejects.toThrow(
      'from your network address',
    );
    await sut.take({ userId: 'c', ip: '2001:db8:1:3::1' });
  });

  it("should not spend the address's quota on a user already over its own", async () => {
    const sut = new Quota('messages', limiter(1), limiter(3));
    await sut.take({ userId: 'greedy', ip: '203.0.113.9' });
    for (let i = 0; i < 10; i++) {
      await expect(sut.take({ userId: 'greedy', ip: '203.0.113.9' })).rejects.toThrow('for your account');
    }
    // Two of the address's three are left for the neighbours.
    await sut.take({ userId: 'n1', ip: '203.0.113.9' });
    await sut.take({ userId: 'n2', ip: '203.0.113.9' });
    await expect(sut.take({ userId: 'n3', ip: '203.0.113.9' })).rejects.toThrow('from your network address');
  });

  it('should have no limit for a quota of 0', async () => {
    expect(quotaLimiter({ name: 'x', points: 0, windowSeconds: 60 }, null)).toBeNull();
    const sut = new Quota('messages', null, null);
    for (let i = 0; i < 100; i++) await sut.take({ userId: 'u', ip: '203.0.113.1' });
  });
});
