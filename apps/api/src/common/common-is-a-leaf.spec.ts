import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const here = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('common/', () => {
  it('should import nothing else from src/: every feature may use it, so it may use no feature', () => {
    const outside: string[] = [];
    for (const file of sources(here)) {
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const resolved = resolve(dirname(file), target!);
        if (relative(here, resolved).startsWith('..')) outside.push(`${relative(here, file)} -> ${target}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
