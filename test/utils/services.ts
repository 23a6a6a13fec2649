import { describe, it } from '@jest/globals';
import net from 'node:net';

const IN_CI = process.env.CI === 'true';

/** True when something accepts TCP connections at host:port within the timeout. */
export function isReachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * `describe` for suites that need a service (PostgreSQL, Redis, a browser). When it is missing
 * the suite is skipped with a one-line reason, except under CI=true, where a missing service is
 * a failure: CI must never go green by skipping.
 */
export function describeWithService(
  title: string,
  service: { available: boolean; reason: string },
  suite: () => void,
): void {
  if (service.available) {
    describe(title, suite);
  } else if (IN_CI) {
    describe(title, () => {
      it(`needs ${service.reason}`, () => {
        throw new Error(`${service.reason} (CI=true: a missing service fails the run)`);
      });
    });
  } else {
    console.warn(`Skipping "${title}": ${service.reason}. Start it (see README) to run these tests.`);
    describe.skip(title, suite);
  }
}
