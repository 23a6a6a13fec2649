import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the built SPA lives: WEB_DIST_DIR, or apps/web/dist next to this app. Found by walking
 * up to apps/api, so it works from the compiled dist/ and from the sources (tests) alike.
 */
export function resolveWebDist(configured: string | undefined): string {
  if (configured) return resolve(configured);
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return resolve(dir, '../web/dist');
}
