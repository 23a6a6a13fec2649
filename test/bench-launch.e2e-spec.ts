import { execFile } from 'node:child_process';
import { expect, it } from '@jest/globals';
import { postgresAvailability } from './utils/postgres.js';
import { redisAvailability } from './utils/redis.js';
import { describeWithService } from './utils/services.js';

const [postgres, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);
const KIT = new URL('../scripts/lib/cluster-kit.mjs', import.meta.url).href;

/**
 * One instance as the cluster benchmarks launch it (scripts/lib/cluster-kit.mjs; the built
 * server, npm test builds first), started and stopped at once: what it printed, and whether it
 * came up. No load is sent: this checks the launch environment, not a figure.
 */
const LAUNCH_ONE = `
import { clusterEnvironment, sleep, startInstance } from ${JSON.stringify(KIT)};
const { env, drop } = await clusterEnvironment({ MAX_ROOMS_PER_CONNECTION: '0' });
try {
  const { child, base } = await startInstance(env);
  const ready = await fetch(base + '/readyz');
  console.log('readyz ' + ready.status);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
} finally {
  await drop();
}
`;

function launchOne(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', LAUNCH_ONE],
      { env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout + stderr),
    );
  });
}

describeWithService(
  'the cluster benchmarks’ instances',
  {
    available: postgres.available && redis.available,
    reason: postgres.available ? redis.reason : postgres.reason,
  },
  () => {
    it('should start ready, without the empty ALLOWED_ORIGINS warning', async () => {
      const output = await launchOne();
      expect(output).toContain('readyz 200');
      expect(output).not.toContain('ALLOWED_ORIGINS is empty');
    });
  },
);
