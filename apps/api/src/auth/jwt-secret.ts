import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SECRET_FILE = 'jwt-secret';

/**
 * The token signing secret: JWT_SECRET when set; otherwise one generated on first start and
 * kept (mode 0600) under DATA_DIR, so tokens survive a restart. Several instances must share a
 * JWT_SECRET, since each has its own DATA_DIR.
 */
export function resolveJwtSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const dir = resolve(dataDir);
  const file = join(dir, SECRET_FILE);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(48).toString('hex');
  try {
    // 'wx': if another process created it meanwhile, use theirs.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return readFileSync(file, 'utf8').trim();
  }
}
