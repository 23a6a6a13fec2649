#!/usr/bin/env node
// `npm start`: build what changed (quietly: the compilers' output only when they fail), then run
// the server, which prints one line with the URL. `tsc -b` is incremental; the SPA build takes a
// second or two.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) {
  process.stderr.write(build.stdout + build.stderr);
  console.error('npm start: the build failed (above); fix it, or run "npm run build" to see it alone.');
  process.exit(build.status ?? 1);
}

// The server handles SIGTERM/SIGINT itself (drains, then exits): pass them on and exit with it.
const server = spawn(process.execPath, [join(root, 'apps/api/dist/main.js')], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
