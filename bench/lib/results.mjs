import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes <stamp>.json / <stamp>.md and refreshes latest.json / latest.md. The JSON holds every
 * figure (also those not in the table) so later runs can be compared by a script.
 * @param {string} dir
 * @param {any} run
 * @param {string} markdown
 */
export function writeResults(dir, run, markdown) {
  mkdirSync(dir, { recursive: true });
  const stamp = run.startedAt.replace(/[:.]/g, '-');
  const json = join(dir, `${stamp}.json`);
  const md = join(dir, `${stamp}.md`);
  writeFileSync(json, `${JSON.stringify(run, null, 2)}\n`);
  writeFileSync(md, markdown);
  copyFileSync(json, join(dir, 'latest.json'));
  copyFileSync(md, join(dir, 'latest.md'));
  return { json, md };
}
