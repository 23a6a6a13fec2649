import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { z } from 'zod';
import { LocalBus } from '../bus/local/local-bus.js';
import { defineClusterEvent } from './cluster-event.js';
import { ClusterEvents, type EventOrigin } from './cluster-events.js';

const Kicked = defineClusterEvent('test.kicked', z.object({ room: z.string(), userId: z.string() }));
const Untyped = defineClusterEvent<{ n: number }>('test.untyped');

describe(ClusterEvents.name, () => {
  let bus: LocalBus;
  let sut: ClusterEvents;
  let warn: ReturnType<typeof jest.spyOn>;
  let error: ReturnType<typeof jest.spyOn>;

  beforeEach(() => {
    bus = new LocalBus();
    sut = new ClusterEvents(bus, 'here');
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('should deliver a published event to its handlers at once, typed, saying it is local', () => {
    const heard: [{ room: string; userId: string }, EventOrigin][] = [];
    sut.on(Kicked, (payload, origin) => void heard.push([payload, origin]));
    sut.publish(Kicked, { room: 'general', userId: 'u1' });
    expect(heard).toEqual([
      [
        { room: 'general', userId: 'u1' },
        { instanceId: 'here', local: true },
      ],
    ]);
  });

  it("should deliver another instance's event with its origin, and ignore other names", () => {
    const heard: EventOrigin[] = [];
    sut.on(Untyped, (_payload, origin) => void heard.push(origin));
    bus.publish({ type: 'module', instanceId: 'there', name: 'test.untyped', payload: { n: 1 } });
    bus.publish({ type: 'module', instanceId: 'there', name: 'test.other', payload: { n: 2 } });
    expect(heard).toEqual([{ instanceId: 'there', local: false }]);
  });

  it('should hand the publisher the JSON copy the other instances get', () => {
    const Dated = defineClusterEvent<{ at: Date | string }>('test.dated');
    const heard: unknown[] = [];
    sut.on(Dated, (payload) => void heard.push(payload.at));
    sut.publish(Dated, { at: new Date('2026-12-01T00:00:00Z') });
    expect(heard).toEqual(['2026-12-01T00:00:00.000Z']);
  });

  it('should drop a payload that does not match the schema, with a warning, and keep delivering', () => {
    const handler = jest.fn<() => void>();
    sut.on(Kicked, handler);
    bus.publish({ type: 'module', instanceId: 'there', name: 'test.kicked', payload: { room: 7 } });
    expect(handler).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('dropped cluster event test.kicked from instance there'),
    );
    bus.publish({
      type: 'module',
      instanceId: 'there',
      name: 'test.kicked',
      payload: { room: 'r', userId: 'u' },
    });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('should ignore an envelope without a name', () => {
    const handler = jest.fn<() => void>();
    sut.on(Untyped, handler);
    bus.publish({ type: 'module', payload: { n: 1 } } as never);
    expect(handler).not.toHaveBeenCalled();
  });

  it('should log a handler that throws or rejects, and still call the others', async () => {
    const after = jest.fn<() => void>();
    sut.on(Untyped, () => {
      throw new Error('boom');
    });
    sut.on(Untyped, () => Promise.reject(new Error('async boom')));
    sut.on(Untyped, after);
    expect(() => sut.publish(Untyped, { n: 1 })).not.toThrow();
    expect(after).toHaveBeenCalledTimes(1);
    await Promise.resolve();
    expect(error).toHaveBeenCalledWith(expect.stringContaining('boom'));
    expect(error).toHaveBeenCalledWith(expect.stringContaining('async boom'));
  });

  it('should refuse to publish a payload that breaks its own schema', () => {
    const handler = jest.fn<() => void>();
    sut.on(Kicked, handler);
    expect(() => sut.publish(Kicked, { room: 'r' } as never)).toThrow(/does not match its schema/);
    expect(handler).not.toHaveBeenCalled();
  });

  it('should stop calling a handler once unsubscribed', () => {
    const handler = jest.fn<() => void>();
    const stop = sut.on(Untyped, handler);
    stop();
    sut.publish(Untyped, { n: 1 });
    expect(handler).not.toHaveBeenCalled();
  });
});

describe(defineClusterEvent.name, () => {
  it('should refuse a name that cannot be told apart in logs', () => {
    expect(() => defineClusterEvent('')).toThrow(/not valid/);
    expect(() => defineClusterEvent('has space')).toThrow(/not valid/);
    expect(defineClusterEvent('mod.ok').name).toBe('mod.ok');
  });
});
