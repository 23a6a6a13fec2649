import { ownCpuSeconds } from './proc.mjs';

/**
 * CPU use of the server and of the load generator over a measured phase, as % of one core.
 * A server near 100% means the figure is the server's limit; a generator near 100% with the
 * server well below means the generator was the limit and the ratio understates the difference.
 * @param {import('./server-process.mjs').ServerProcess} server
 */
export function startCpuMeter(server) {
  const wall0 = performance.now();
  const server0 = server.cpuSeconds();
  const own0 = ownCpuSeconds();
  return () => {
    const wall = (performance.now() - wall0) / 1000;
    const server1 = server.cpuSeconds();
    const pct = (cpu) => (wall > 0 ? Math.round((cpu / wall) * 100) : null);
    return {
      serverCpuPct: server0 === null || server1 === null ? null : pct(server1 - server0),
      generatorCpuPct: pct(ownCpuSeconds() - own0),
    };
  };
}
