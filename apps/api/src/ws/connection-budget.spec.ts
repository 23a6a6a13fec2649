import { describe, expect, it } from '@jest/globals';
import { connectionBudget, fileDescriptorLimit, HTTP_HEADROOM } from './connection-budget.js';

describe(connectionBudget.name, () => {
  it('should keep the configured limits when the descriptors suffice', () => {
    expect(connectionBudget(10_000, 1000, 65_536)).toEqual({
      tcp: 10_000 + HTTP_HEADROOM,
      webSockets: 10_000,
      perIp: 1000,
      unfinishedPerIp: Math.floor((10_000 + HTTP_HEADROOM) / 8),
      unfinished: 10_000,
    });
    expect(connectionBudget(10_000, 1000, undefined)).toMatchObject({ webSockets: 10_000, perIp: 1000 });
  });

  it('should cut them to 1,024 descriptors, keeping HTTP headroom that one address cannot take', () => {
    const budget = connectionBudget(10_000, 1000, 1024);
    expect(budget.tcp).toBeLessThan(1024);
    expect(budget.webSockets).toBe(budget.tcp - HTTP_HEADROOM);
    // One address gets at most half the WebSockets, and a small share for unfinished requests.
    expect(budget.perIp).toBe(Math.floor(budget.webSockets / 2));
    expect(budget.unfinishedPerIp).toBe(Math.floor(budget.tcp / 8));
    expect(budget.unfinished).toBe(budget.tcp - HTTP_HEADROOM);
    expect(budget.warning).toMatch(/MAX_CONNECTIONS=10000 .* 1024.*ulimit -n/);
  });

  it('should leave everything off when MAX_CONNECTIONS is 0', () => {
    expect(connectionBudget(0, 0, 1024)).toEqual({
      tcp: 0,
      webSockets: 0,
      perIp: 0,
      unfinishedPerIp: 0,
      unfinished: 0,
    });
  });

  it('should read this process’s limit on Linux', () => {
    const limit = fileDescriptorLimit();
    if (process.platform === 'linux') expect(limit).toBeGreaterThan(0);
  });
});
