/**
 * Latency summary by nearest rank on a sorted copy: exact, and with at most ~1M samples per
 * run sorting a Float64Array takes well under a second.
 * @param {Float64Array} samples milliseconds
 */
export function summarizeLatency(samples) {
  if (samples.length === 0) return { count: 0, p50: null, p95: null, p99: null, max: null, mean: null };
  const sorted = Float64Array.from(samples).sort();
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(sorted[sorted.length - 1]),
    mean: round(sum / sorted.length),
  };
}

/** Three significant decimals are plenty for ms and keep the JSON readable. */
export function round(value, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return value ?? null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
