import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and sums self time per function and
 * per module, so a report can say where the server's CPU went without opening DevTools.
 * Idle time is left out of the percentages: they are shares of the time the server was busy.
 * With `phase` (CLOCK_MONOTONIC µs, as the cpu meter records it) only the samples of the
 * measured phase count, so start-up and connection setup do not blur the picture.
 * @param {string} file
 * @param {{ top?: number, root?: string, phase?: { startUs: number, endUs: number } | null }} [options]
 */
export function summarizeProfile(file, { top = 15, root = process.cwd(), phase = null } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  /** @type {Map<number, any>} */
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  /** @type {Map<number, number>} node id -> self µs */
  const selfUs = new Map();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (phase && (at < phase.startUs || at > phase.endUs)) continue;
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  /** @type {Map<number, number>} child id -> parent id */
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const keyOf = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = shortUrl(url, root);
    return `${functionName || '(anonymous)'} ${where}${where && lineNumber >= 0 ? `:${lineNumber + 1}` : ''}`;
  };
  const byFunction = new Map();
  const byModule = new Map();
  /** Time with the function anywhere on the stack (our code and libraries only). */
  const inclusive = new Map();
  let busyUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = nodes.get(id);
    const { functionName, url } = node.callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const where = shortUrl(url, root);
    const key = keyOf(node);
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const module = moduleOf(where, functionName);
    byModule.set(module, (byModule.get(module) ?? 0) + us);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parents.get(at)) {
      const frame = nodes.get(at);
      const frameUrl = shortUrl(frame.callFrame.url, root);
      if (!frameUrl || frameUrl.startsWith('node:')) continue;
      const frameKey = keyOf(frame);
      if (seen.has(frameKey)) continue;
      seen.add(frameKey);
      inclusive.set(frameKey, (inclusive.get(frameKey) ?? 0) + us);
    }
  }
  const rank = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        selfMs: Math.round(us / 1000),
        pct: busyUs ? Math.round((1000 * us) / busyUs) / 10 : 0,
      }));
  return {
    file: relative(root, file),
    phaseOnly: phase !== null,
    busyMs: Math.round(busyUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    functions: rank(byFunction),
    modules: rank(byModule),
    inclusive: rank(inclusive),
  };
}

/**
 * The main thread's .cpuprofile in `dir` (node names them CPU.<date>.<time>.<pid>.<thread>.<n>;
 * worker threads, such as a log transport's, write their own), or null.
 */
export function latestProfileIn(dir) {
  try {
    const files = readdirSync(dir)
      .filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))
      .sort();
    return files.length ? join(dir, files.at(-1)) : null;
  } catch {
    return null;
  }
}

function shortUrl(url, root) {
  if (!url) return '';
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  return path.startsWith('/') ? relative(root, path) : path;
}

/** "ws", "@nestjs/core", "apps/api/dist/chat", "node:internal", or the V8 pseudo-entry. */
function moduleOf(where, functionName) {
  if (!where) return functionName.startsWith('(') ? functionName : '(native)';
  if (where.startsWith('node:')) return 'node:internal';
  if (where.startsWith('apps/') || where.startsWith('libs/')) {
    const parts = where.split('/');
    return parts.slice(0, Math.min(parts.length - 1, 4)).join('/');
  }
  const parts = where.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** Markdown lines for a report: the top functions and modules of one profile. */
export function profileMarkdown(title, summary) {
  const rows = (list) => list.map((e) => `| ${e.name.replace(/\|/g, '\\|')} | ${e.selfMs} | ${e.pct} |`);
  return [
    `#### ${title}: ${summary.busyMs} ms busy, ${summary.idleMs} ms idle${summary.phaseOnly ? ' in the measured phase' : ''} (${summary.file})`,
    '',
    '| function (self time) | ms | % of busy |',
    '| --- | --- | --- |',
    ...rows(summary.functions),
    '',
    '| module (self time) | ms | % of busy |',
    '| --- | --- | --- |',
    ...rows(summary.modules.slice(0, 8)),
    '',
    ...(summary.inclusive
      ? [
          '| function (total: itself and what it calls) | ms | % of busy |',
          '| --- | --- | --- |',
          ...rows(summary.inclusive),
          '',
        ]
      : []),
  ];
}
