import { profileMarkdown } from './profile-summary.mjs';
import { HEADLINE } from './repeats.mjs';
import { barText, ratioOf, ROWS, verdict } from './targets-check.mjs';

const fmt = (value) => {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number')
    return value >= 1000 ? Math.round(value).toLocaleString('en-US') : String(value);
  return String(value);
};

const table = (header, rows) =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

/** Errors can carry a whole server log; the table gets its first line, the JSON keeps all. */
const firstLine = (text) => (text ? text.split('\n')[0].slice(0, 300) : '');

/** "ours / baseline" of a delivery counter, or – when the scenario has no delivery accounting. */
const pairOf = (ours, baseline, key) =>
  ours?.delivery || baseline?.delivery
    ? `${fmt(ours?.delivery?.[key])} / ${fmt(baseline?.delivery?.[key])}`
    : '–';

/**
 * The comparison table: one row per metric, ours next to the baseline, the ratio, the bar and
 * the verdict. Lost and duplicate columns are per scenario (summed over all receivers).
 * @param {any[]} results
 */
export function comparisonTable(results) {
  const find = (scenario, target) => results.find((r) => r.scenario === scenario && r.target === target);
  const rows = [];
  for (const row of ROWS) {
    const ours = find(row.scenario, 'ours');
    const baseline = find(row.scenario, 'baseline');
    if (!ours && !baseline) continue;
    const cell = (r) => (!r ? '–' : r.ok ? fmt(row.value(r)) : 'error');
    const ratio = ratioOf(ours?.ok ? row.value(ours) : null, baseline?.ok ? row.value(baseline) : null);
    const first = ROWS.find((x) => x.scenario === row.scenario) === row;
    rows.push([
      first ? row.scenario : '',
      row.label,
      cell(ours),
      cell(baseline),
      ratio === null ? '–' : ratio.toFixed(2),
      barText(row),
      verdict(row, ours, baseline) ?? '',
      first ? pairOf(ours, baseline, 'lost') : '',
      first ? pairOf(ours, baseline, 'duplicates') : '',
    ]);
  }
  return table(
    [
      'scenario',
      'metric',
      'ours',
      'baseline',
      'ours/baseline',
      'target',
      'result',
      'lost (ours / base)',
      'dup (ours / base)',
    ],
    rows,
  );
}

/**
 * Per run details that explain the figures: CPU of server and generator (who was the limit),
 * error frames, closes the server initiated, failed connections, and any error.
 * @param {any[]} results
 */
export function detailsTable(results) {
  const rows = results.map((r) => [
    r.case ?? r.scenario,
    r.target,
    r.repeats?.values?.length > 1 ? r.repeats.values.map(fmt).join(' / ') : '',
    fmt(r.cpu?.serverCpuPct),
    fmt(r.cpu?.generatorCpuPct),
    fmt(r.cpu?.otherCpuPct),
    r.errors
      ? Object.entries(r.errors.byCode)
          .map(([c, n]) => `${c}×${n}`)
          .join(' ')
      : '',
    r.closedByServer
      ? Object.entries(r.closedByServer)
          .map(([c, n]) => `${c}×${n}`)
          .join(' ')
      : '',
    r.failures ? `${r.failures.count}: ${r.failures.first}` : '',
    [
      firstLine(r.error),
      r.serverCrashed ? 'server crashed' : '',
      r.delivery && !r.delivery.drained ? 'not drained' : '',
    ]
      .filter(Boolean)
      .join('; ')
      .replace(/\|/g, '\\|')
      .replace(/\n/g, ' '),
  ]);
  return table(
    [
      'case',
      'target',
      'runs (headline figure)',
      'server CPU %',
      'generator CPU %',
      'other processes CPU %',
      'error frames',
      'closed by server',
      'failed connects',
      'problems',
    ],
    rows,
  );
}

/** Above this, other processes took a noticeable share of the 2 cores the benchmark relies on. */
const BUSY_OTHER_CPU_PCT = 25;

function busyWarning(results) {
  // Any run of a cell counts: the median may be a quiet one while a busy one skewed the ranking.
  const busy = results
    .flatMap((r) => r.runs ?? [r])
    .filter((r) => (r.cpu?.otherCpuPct ?? 0) > BUSY_OTHER_CPU_PCT);
  if (busy.length === 0) return [];
  const where = busy.map((r) => `${r.case ?? r.scenario}/${r.target} ${r.cpu.otherCpuPct}%`).join(', ');
  return [
    '',
    `> **Machine busy**: other processes used CPU during ${where} (% of one core). Those figures are unreliable; rerun on an idle machine.`,
  ];
}

/** Per target and case, what each figure says beside the headline one. */
const EXTRA = {
  fanout: (r) => `${fmt(r.metrics.messagesPerSec)} messages/s`,
  latency: (r) =>
    `p50 ${fmt(r.metrics.p50)}, p95 ${fmt(r.metrics.p95)}, max ${fmt(r.metrics.max)} ms` +
    (r.metrics.ack ? `; send→ack p50 ${fmt(r.metrics.ack.p50)} ms` : ''),
  idle: (r) => `${fmt(r.metrics.rssAfterMiB)} MiB with ${fmt(r.metrics.opened)} open`,
  storm: (r) => `${fmt(r.metrics.opened)} in ${fmt(r.metrics.elapsedSec)} s`,
  bigjoin: (r) => `${fmt(r.metrics.joined)} in, ${fmt(r.metrics.serverCpuUsPerJoin)} µs server CPU each`,
  slow: (r) =>
    `healthy got ${fmt(r.metrics.healthyDeliveredPct)} %; slow client ${
      r.metrics.slowClosedByServer ? `closed at ${r.metrics.slowClosedAtSec} s` : 'not closed'
    }`,
};

/**
 * Every case and target in one table, for option comparisons and sweeps: the headline figure of
 * the scenario, its ratio to `ours` and to `baseline` of the same case, and the CPU behind it.
 * @param {any[]} results
 */
export function matrixTable(results) {
  const rows = results.map((r) => {
    const headline = HEADLINE[r.scenario];
    const same = (target) => results.find((x) => x.case === r.case && x.target === target && x.ok);
    const value = r.ok ? headline.value(r) : null;
    const ratio = (target) => {
      const other = same(target);
      const x = other ? ratioOf(value, headline.value(other)) : null;
      return x === null ? '–' : x.toFixed(2);
    };
    return [
      r.case ?? r.scenario,
      r.target,
      headline.label,
      r.ok ? fmt(value) : r.skipped ? 'n/a' : 'error',
      ratio('ours'),
      ratio('baseline'),
      r.ok ? EXTRA[r.scenario](r) : firstLine(r.error),
      fmt(r.cpu?.serverCpuPct),
      fmt(r.cpu?.generatorCpuPct),
      r.delivery ? `${fmt(r.delivery.lost)} / ${fmt(r.delivery.duplicates)}` : '–',
    ].map((cell) => String(cell).replace(/\|/g, '\\|'));
  });
  return table(
    [
      'case',
      'target',
      'figure',
      'value',
      '/ ours',
      '/ baseline',
      'also',
      'server CPU %',
      'generator CPU %',
      'lost / dup',
    ],
    rows,
  );
}

/** The whole Markdown report: context first, because figures mean nothing without it. */
export function markdownReport(run) {
  const { machine, settings } = run;
  const standard = run.results.filter((r) => r.case === undefined || r.case === r.scenario);
  const twoTargets = settings.targets.every((t) => ['ours', 'baseline'].includes(t.name));
  const pinning = settings.pinning.enabled
    ? `servers on CPU ${settings.pinning.serverCpu}, load generator on CPU ${settings.pinning.generatorCpu}`
    : `none (${settings.pinning.reason})`;
  const lines = [
    `# Chat benchmark, ${run.startedAt}`,
    '',
    `- machine: ${machine.os}; ${machine.cpuModel}; ${machine.cores} cores; ${machine.totalMemoryGiB} GiB`,
    `- node ${machine.node}; mode ${settings.mode}; pinning: ${pinning}; open files limit ${settings.fileLimit}`,
    `- each cell ran ${settings.repeat} time(s), targets taking turns; figures are of the median run (lost and duplicates: summed over all runs)`,
    ...settings.cases.map(
      ({ label, settings: s }) =>
        `- ${label}: ${Object.entries(s)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`,
    ),
    ...settings.targets.map((t) => `- target \`${t.name}\`: ${t.description}`),
    `- ours: \`node apps/api/dist/main.js\` (built from ${settings.revision}) with ${Object.entries(
      settings.oursEnv,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
    ...(settings.notes.length ? ['', ...settings.notes.map((n) => `> ${n}`)] : []),
    ...busyWarning(run.results),
    '',
    ...(settings.kind === 'standard' || twoTargets ? [comparisonTable(standard), ''] : []),
    ...(settings.kind !== 'standard' || !twoTargets ? [matrixTable(run.results), ''] : []),
    detailsTable(run.results),
    '',
    ...run.results
      .filter((r) => r.profile)
      .flatMap((r) => profileMarkdown(`CPU profile, ${r.scenario} on ${r.target}`, r.profile)),
  ];
  return lines.join('\n');
}
