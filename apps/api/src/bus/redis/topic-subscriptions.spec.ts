import { describe, expect, it } from '@jest/globals';
import type { BusTopic } from '../bus.js';
import { TopicSubscriptions, type ShardedSubscriber } from './topic-subscriptions.js';

/** Records SSUBSCRIBE/SUNSUBSCRIBE; each subscribe waits for `confirm` (or fails with `refuse`). */
class FakeRedis implements ShardedSubscriber {
  readonly calls: string[] = [];
  private readonly pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  subscribe(topic: BusTopic): Promise<unknown> {
    this.calls.push(`+${topic}`);
    return new Promise<void>((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  unsubscribe(topic: BusTopic): Promise<unknown> {
    this.calls.push(`-${topic}`);
    return Promise.resolve();
  }
  confirm(): void {
    this.pending.shift()?.resolve();
  }
  refuse(): void {
    this.pending.shift()?.reject(new Error('refused'));
  }
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

function setUp(graceMs = 20, waitMs = 50) {
  const redis = new FakeRedis();
  const heard: BusTopic[] = [];
  const failed: BusTopic[] = [];
  const sut = new TopicSubscriptions(
    redis,
    (t) => heard.push(t),
    (t) => failed.push(t),
    graceMs,
    waitMs,
  );
  return { redis, heard, failed, sut };
}

describe(TopicSubscriptions.name, () => {
  it('should subscribe once, resolve the watch at the confirmation and then hear the topic', async () => {
    const { redis, heard, sut } = setUp();
    const first = sut.watch('room:a');
    const second = sut.watch('room:a');
    expect(sut.hears('room:a')).toBe(false);
    expect(sut.wants('room:a')).toBe(true);
    redis.confirm();
    await Promise.all([first, second]);
    expect(redis.calls).toEqual(['+room:a']);
    expect(heard).toEqual(['room:a']);
    expect(sut.hears('room:a')).toBe(true);
  });

  it('should not hold a watch longer than its wait when Redis does not answer', async () => {
    const { redis, heard, sut } = setUp(20, 10);
    await sut.watch('room:slow'); // resolves after 10 ms, unconfirmed
    expect(sut.hears('room:slow')).toBe(false);
    redis.confirm(); // late: listeners hear it now (and read what they missed)
    await tick();
    expect(heard).toEqual(['room:slow']);
  });

  it('should unsubscribe only after the grace, and keep the subscription when watched again within it', async () => {
    const { redis, heard, sut } = setUp(20);
    const watched = sut.watch('user:u');
    redis.confirm();
    await watched;
    sut.unwatch('user:u');
    expect(sut.wants('user:u')).toBe(false); // its events are skipped from now on
    await sut.watch('user:u'); // back within the grace: heard again at once
    expect(heard).toEqual(['user:u', 'user:u']);
    sut.unwatch('user:u');
    await tick(40);
    expect(redis.calls).toEqual(['+user:u', '-user:u']);
    expect(sut.count('user')).toBe(0);
    void sut.watch('user:u'); // a fresh subscription after the grace
    expect(redis.calls).toEqual(['+user:u', '-user:u', '+user:u']);
    sut.close();
  });

  it('should report a refused subscription and count wanted topics by kind', async () => {
    const { redis, failed, heard, sut } = setUp();
    const refused = sut.watch('room:x');
    void sut.watch('user:y');
    redis.refuse();
    await refused;
    expect(failed).toEqual(['room:x']);
    expect(heard).toEqual([]);
    expect([sut.count('room'), sut.count('user')]).toEqual([1, 1]);
    sut.retryRefused(); // the link is back
    expect(redis.calls).toEqual(['+room:x', '+user:y', '+room:x']);
    redis.confirm(); // user:y
    redis.confirm(); // room:x, at last
    await tick();
    expect(heard).toEqual(['user:y', 'room:x']);
    sut.close();
  });
});
