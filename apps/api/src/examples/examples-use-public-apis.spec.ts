import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(here, '..');

/**
 * What an example may import from the rest of the server: the extension points a module of
 * anyone's would use (issue 13: "none of them edits a file of the chat core"; they do not reach
 * into it either). Anything else (chat/, ws/, bus/, a file inside core/) means the example
 * found a gap in the core's API: close the gap there instead.
 */
const PUBLIC = [
  'core/index.ts',
  'commands/slash-command.ts',
  'bots/bot-accounts.ts',
  'bots/bots.module.ts',
  'cluster-events/cluster-event.ts',
  'cluster-events/cluster-events.ts',
  'cluster-events/cluster-events.module.ts',
  'storage/storage.module.ts',
  'storage/user-store.ts',
  'config/app-config.service.ts',
  'config/app-config.schema.ts',
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('examples/', () => {
  it('should be one folder per example, each with its own module', () => {
    const folders = readdirSync(here, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(folders.map((folder) => folder.name).sort()).toEqual([
      'ci-webhook',
      'dice',
      'time-bot',
      'word-filter',
    ]);
    for (const folder of folders) {
      expect(readdirSync(join(here, folder.name)).filter((name) => name.endsWith('.module.ts'))).toHaveLength(
        1,
      );
    }
  });

  it("should use only the server's public extension points (and common/), never another example", () => {
    const reaching: string[] = [];
    for (const file of sources(here)) {
      const example = relative(here, file).split('/')[0]!;
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const resolved = relative(src, resolve(dirname(file), target!)).replace(/\.js$/, '.ts');
        const inOwnFolder = resolved.startsWith(`examples/${example}/`);
        if (!inOwnFolder && !resolved.startsWith('common/') && !PUBLIC.includes(resolved)) {
          reaching.push(`${relative(here, file)} -> ${target}`);
        }
      }
    }
    expect(reaching).toEqual([]);
  });
});
