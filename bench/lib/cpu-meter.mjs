import { ownCpuSeconds, readMachineBusySeconds } from './proc.mjs';

/**
 * CPU use of the server and of the load generator over a measured phase, as % of one core.
 * A server near 100% means the figure is the server's limit; a generator near 100% with the
 * server well below means the generator was the limit and the ratio understates the difference.
 * Other: CPU time of other processes on the machine; high values mean something competed.
 * @param {import('./server-process.mjs').ServerProcess} server
 */
export function startCpuMeter(server) {
  const wall0 = performance.now();
  const server0 = server.cpuSeconds();
  const own0 = ownCpuSeconds();
  const busy0 = readMachineBusySeconds();
  // CLOCK_MONOTONIC in µs, the clock V8 stamps profile samples with: lets a server's CPU
  // profile be cut to this phase (see profile-summary.mjs).
  const phaseStartUs = Number(process.hrtime.bigint() / 1000n);
  return () => {
    const phaseEndUs = Number(process.hrtime.bigint() / 1000n);
    const wall = (performance.now() - wall0) / 1000;
    const server1 = server.cpuSeconds();
    const busy1 = readMachineBusySeconds();
    const pct = (cpu) => (wall > 0 ? Math.round((cpu / wall) * 100) : null);
    const serverCpu = server0 === null || server1 === null ? null : server1 - server0;
    const generatorCpu = ownCpuSeconds() - own0;
    return {
      serverCpuPct: serverCpu === null ? null : pct(serverCpu),
      serverCpuSec: serverCpu,
      generatorCpuPct: pct(generatorCpu),
      otherCpuPct:
        busy0 === null || busy1 === null || serverCpu === null
          ? null
          : Math.max(0, pct(busy1 - busy0 - serverCpu - generatorCpu)),
      phase: { startUs: phaseStartUs, endUs: phaseEndUs },
    };
  };
}
