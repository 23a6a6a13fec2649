import { maxServerFrameBytes } from './frame-budget.js';
import { configEntries, type AppConfig, type ConfigKey } from './app-config.schema.js';

/** A configuration problem, phrased as one line: the variable, what is wrong, and the fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Values never echoed in an error: start-up errors reach terminals, CI logs and log collectors. */
const SECRET_KEYS: ReadonlySet<string> = new Set([
  'JWT_SECRET',
  'METRICS_TOKEN',
  'CI_WEBHOOK_SECRET',
  'DATABASE_URL',
  'REDIS_URL',
]);

/**
 * Validates the environment once. Empty strings count as unset, so `FOO=` in a .env file means
 * "use the default". Throws a {@link ConfigError} naming the first bad variable.
 */
export function loadConfig(env: EnvSource): AppConfig {
  const config: Record<string, unknown> = {};
  for (const key of Object.keys(configEntries) as ConfigKey[]) {
    const { schema, hint } = configEntries[key];
    const raw = env[key] === '' ? undefined : env[key];
    const result = schema.safeParse(raw);
    if (!result.success) {
      const problem = result.error.issues[0]?.message ?? 'invalid value';
      const shown = SECRET_KEYS.has(key) ? '<hidden>' : JSON.stringify(raw);
      throw new ConfigError(`Invalid ${key}=${shown}: ${problem}. Fix: ${hint}.`);
    }
    config[key] = result.data;
  }
  const result = config as AppConfig;
  if (Boolean(result.TLS_CERT) !== Boolean(result.TLS_KEY)) {
    throw new ConfigError(
      'Invalid TLS_CERT/TLS_KEY: only one is set. Fix: set both to serve https, or neither.',
    );
  }
  checkFrameBudget(result);
  return result;
}

/** A page the server sends must fit in the queue it is written to, or every join would close with 1013. */
function checkFrameBudget(config: AppConfig): void {
  const frame = maxServerFrameBytes(config);
  if (frame > config.MAX_QUEUED_BYTES) {
    throw new ConfigError(
      `Invalid MAX_QUEUED_BYTES=${config.MAX_QUEUED_BYTES}: the largest frame the server sends is ${frame} bytes ` +
        `(MAX_PAGE_BYTES, or one message of MAX_TEXT_LENGTH characters at six bytes each). ` +
        `Fix: raise MAX_QUEUED_BYTES to at least ${frame} (four times that is better), or lower MAX_PAGE_BYTES or MAX_TEXT_LENGTH.`,
    );
  }
}
