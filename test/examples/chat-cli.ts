import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `npm run chat -- <args>` as the guide tells a host app's operator to run it, against the
 * example's database (`DATA_DIR`), with nothing else of the test's environment. Resolves with
 * the last line of its output: the key of `api-key create`, the secret of `webhook add`.
 */
export function runChatCli(env: Record<string, string>, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'npm',
      ['run', '--silent', 'chat', '--', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`npm run chat -- ${args.join(' ')}: ${error.message}\n${stderr}`));
        else resolve(stdout.trimEnd().split('\n').at(-1) ?? '');
      },
    );
  });
}
