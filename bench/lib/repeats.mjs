/**
 * Each cell (scenario x target) may run several times; the report shows its median run. These
 * are the figures runs are ranked by: the one each scenario's target is about.
 */
export const HEADLINE = {
  fanout: { label: 'deliveries/s', value: (r) => r.metrics.deliveriesPerSec, better: 'higher' },
  latency: { label: 'p99 ms', value: (r) => r.metrics.p99, better: 'lower' },
  idle: { label: 'RSS bytes/conn', value: (r) => r.metrics.rssPerConnBytes, better: 'lower' },
  storm: { label: 'connections/s', value: (r) => r.metrics.connectionsPerSec, better: 'higher' },
  slow: { label: 'RSS growth MiB', value: (r) => r.metrics.rssGrowthMiB, better: 'lower' },
  bigjoin: { label: 'all joined s', value: (r) => r.metrics.allJoinedSec, better: 'lower' },
  mixed: {
    label: 'server CPU µs/delivered frame',
    value: (r) => r.metrics.cpuUsPerDelivery,
    better: 'lower',
  },
};

const sum = (runs, key) => runs.reduce((total, r) => total + (r.delivery?.[key] ?? 0), 0);

/**
 * The median run of a cell (the lower one of an even count), with what the others said: every
 * run's headline figure, and lost and duplicate deliveries summed over all runs (one bad run
 * is enough to fail the row). A cell is ok only when every run was.
 * @param {any[]} runs
 */
export function combineRepeats(runs) {
  if (runs.length === 1) return { ...runs[0], repeats: { count: 1, values: headlines(runs) } };
  const ok = runs.filter((r) => r.ok);
  const failed = runs.filter((r) => !r.ok);
  if (ok.length === 0) return { ...runs.at(-1), repeats: { count: runs.length, values: [] } };
  const { value } = HEADLINE[ok[0].scenario];
  const median = [...ok].sort((a, b) => value(a) - value(b))[Math.floor((ok.length - 1) / 2)];
  return {
    ...median,
    ok: failed.length === 0,
    ...(failed.length > 0 && { error: `${failed.length} of ${runs.length} runs failed: ${failed[0].error}` }),
    delivery: median.delivery && {
      ...median.delivery,
      lost: sum(ok, 'lost'),
      duplicates: sum(ok, 'duplicates'),
      drained: ok.every((r) => r.delivery?.drained !== false),
    },
    repeats: { count: runs.length, values: headlines(ok) },
    runs,
  };
}

function headlines(runs) {
  return runs.filter((r) => r.ok && r.metrics).map((r) => HEADLINE[r.scenario].value(r));
}
