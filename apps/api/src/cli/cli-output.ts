/** Where the CLI writes: stdout for answers (the last line of `create`/`add` is the secret alone), stderr for errors. */
export interface CliOutput {
  line(text?: string): void;
  error(text: string): void;
}

export const processOutput: CliOutput = {
  line: (text = '') => process.stdout.write(`${text}\n`),
  error: (text) => process.stderr.write(`${text}\n`),
};

/** A usage mistake: printed with the command's help, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
