import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * How many of the most common passwords are refused. The list (from @zxcvbn-ts/language-common,
 * ranked by how often each appeared in public password leaks) has about 49,000; the top 10,000
 * is what NIST SP 800-63B's "commonly used, expected or compromised" check usually means, and
 * refusing more starts to refuse passphrases nobody would guess first.
 */
const REFUSED_TOP = 10_000;

let common: Set<string> | undefined;

/**
 * True for one of the most common passwords (compared in lower case, as the list is). Loaded on
 * first use: a server that never registers anyone never reads the half-megabyte list.
 */
export function isCommonPassword(password: string): boolean {
  common ??= load();
  return common.has(password.toLowerCase());
}

function load(): Set<string> {
  // The package's plain JSON list; its ESM entry point ships the same words compressed.
  const file = createRequire(import.meta.url).resolve('@zxcvbn-ts/language-common/src/passwords.json');
  const ranked = JSON.parse(readFileSync(file, 'utf8')) as string[];
  return new Set(ranked.slice(0, REFUSED_TOP));
}
