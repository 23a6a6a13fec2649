import { ownCpuSeconds, readMachineBusySeconds } from './proc.mjs';
import { now, sleep } from './time.mjs';

/** Other processes may use this much of one core and the machine still counts as idle. */
const IDLE_OTHER_CPU_PCT = 10;
const SAMPLE_MS = 1000;

/**
 * Waits, before a measurement, until no other process is using the CPU (a build, a test run):
 * on a shared machine that is the largest source of noise, and the server has only one core.
 * Gives up after `maxMs` and lets the run go ahead; the report then flags the busy phases.
 * @param {number} maxMs
 * @returns {Promise<{ idle: boolean, waitedSec: number }>}
 */
export async function waitForIdleMachine(maxMs) {
  const start = now();
  while (true) {
    const busy0 = readMachineBusySeconds();
    const own0 = ownCpuSeconds();
    await sleep(SAMPLE_MS);
    const busy1 = readMachineBusySeconds();
    const waitedSec = Math.round((now() - start) / 100) / 10;
    if (busy0 === null || busy1 === null) return { idle: true, waitedSec };
    const otherPct = ((busy1 - busy0 - (ownCpuSeconds() - own0)) / (SAMPLE_MS / 1000)) * 100;
    if (otherPct < IDLE_OTHER_CPU_PCT) return { idle: true, waitedSec };
    if (now() - start >= maxMs) return { idle: false, waitedSec };
  }
}
