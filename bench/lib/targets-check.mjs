/**
 * The pass/fail targets of the report, in one place so README and code cannot drift apart
 * silently. Each row: which number, how ours compares with the baseline, and the bar.
 *
 * `better` says which direction is good, so ratios read the same way everywhere:
 * ours/baseline, where for "higher" metrics >= bar passes and for "lower" metrics <= bar passes.
 * @typedef {{ scenario: string, label: string, value: (r: any) => any, unit?: string,
 *   better?: 'higher' | 'lower', bar?: number, absolute?: (ours: any) => boolean, barText?: string }} Row
 * @type {Row[]}
 */
export const ROWS = [
  {
    scenario: 'fanout',
    label: 'deliveries/s',
    value: (r) => r.metrics.deliveriesPerSec,
    better: 'higher',
    bar: 0.9,
  },
  { scenario: 'fanout', label: 'messages/s (sent)', value: (r) => r.metrics.messagesPerSec },
  {
    scenario: 'fanout',
    label: 'server CPU µs/delivery',
    value: (r) => r.metrics.cpuUsPerDelivery,
    better: 'lower',
    bar: 0.35,
  },
  { scenario: 'latency', label: 'p50 ms', value: (r) => r.metrics.p50 },
  { scenario: 'latency', label: 'p95 ms', value: (r) => r.metrics.p95 },
  { scenario: 'latency', label: 'p99 ms', value: (r) => r.metrics.p99, better: 'lower', bar: 1.5 },
  { scenario: 'latency', label: 'max ms', value: (r) => r.metrics.max },
  { scenario: 'latency', label: 'server CPU µs/delivery', value: (r) => r.metrics.cpuUsPerDelivery },
  {
    scenario: 'latency',
    label: 'send→ack p50 / p99 ms',
    value: (r) => (r.metrics.ack ? `${r.metrics.ack.p50} / ${r.metrics.ack.p99}` : 'no ack'),
  },
  {
    scenario: 'idle',
    label: 'RSS bytes/conn',
    value: (r) => r.metrics.rssPerConnBytes,
    better: 'lower',
    bar: 1.5,
  },
  {
    scenario: 'storm',
    label: 'connections/s',
    value: (r) => r.metrics.connectionsPerSec,
    better: 'higher',
    bar: 0.7,
  },
  { scenario: 'storm', label: 'server CPU µs/connection', value: (r) => r.metrics.serverCpuUsPerConnection },
  {
    scenario: 'slow',
    label: 'healthy clients got %',
    value: (r) => r.metrics.healthyDeliveredPct,
    absolute: (ours) => ours === 100,
    barText: 'ours = 100',
  },
  { scenario: 'slow', label: 'server RSS growth MiB', value: (r) => r.metrics.rssGrowthMiB },
  {
    scenario: 'slow',
    label: 'slow client closed',
    value: (r) => {
      const m = r.metrics;
      if (m.slowClosedByServer === null) return 'unknown';
      if (!m.slowClosedByServer) return 'no';
      return `at ${m.slowClosedAtSec} s, code ${m.slowCloseCodeSeen ?? '?'}`;
    },
  },
  {
    scenario: 'bigjoin',
    label: 'all in one room, s (ours: joined; baseline: open)',
    value: (r) => r.metrics.allJoinedSec,
    better: 'lower',
    bar: 2,
  },
  { scenario: 'bigjoin', label: 'server CPU µs/join', value: (r) => r.metrics.serverCpuUsPerJoin },
  { scenario: 'mixed', label: 'server CPU µs/delivered frame', value: (r) => r.metrics.cpuUsPerDelivery },
  { scenario: 'mixed', label: 'deliveries/s', value: (r) => r.metrics.deliveriesPerSec },
  { scenario: 'mixed', label: 'p50 / p99 ms', value: (r) => `${r.metrics.p50} / ${r.metrics.p99}` },
  { scenario: 'mixed', label: 'store writes/s', value: (r) => r.metrics.storeWritesPerSec },
  {
    scenario: 'mixed',
    label: 'sent/s: messages, changes, reads',
    value: (r) => `${r.metrics.messagesPerSec}, ${r.metrics.changesPerSec}, ${r.metrics.readsPerSec}`,
  },
  { scenario: 'mixed', label: 'read frames per marker write', value: (r) => r.metrics.readsPerMarkerWrite },
];

/**
 * Verdict for one row: null when the row has no bar. Lost or duplicated deliveries on our server
 * fail the scenario's bar row whatever the ratio, because correctness is not traded for speed.
 */
export function verdict(row, ours, baseline) {
  if (!row.absolute && row.bar === undefined) return null;
  if (!ours?.ok) return ours ? 'FAIL (error)' : null;
  const value = row.value(ours);
  let pass;
  if (row.absolute) pass = row.absolute(value);
  else if (row.bar !== undefined) {
    const ratio = ratioOf(value, baseline?.ok ? row.value(baseline) : null);
    if (ratio === null) return 'n/a';
    pass = row.better === 'higher' ? ratio >= row.bar : ratio <= row.bar;
  } else return null;
  const delivery = ours.delivery;
  if (delivery && (delivery.lost > 0 || delivery.duplicates > 0)) return 'FAIL (lost/dup)';
  return pass ? 'pass' : 'FAIL';
}

export function ratioOf(ours, baseline) {
  return typeof ours === 'number' && typeof baseline === 'number' && baseline !== 0 ? ours / baseline : null;
}

export function barText(row) {
  if (row.barText) return row.barText;
  if (row.bar === undefined) return '';
  return `${row.better === 'higher' ? '>=' : '<='} ${row.bar}`;
}
