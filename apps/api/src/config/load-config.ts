import { configEntries, type AppConfig, type ConfigKey } from './app-config.schema.js';

/** A configuration problem, phrased as one line: the variable, what is wrong, and the fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type EnvSource = Readonly<Record<string, string | undefined>>;

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
      throw new ConfigError(`Invalid ${key}=${JSON.stringify(raw)}: ${problem}. Fix: ${hint}.`);
    }
    config[key] = result.data;
  }
  const result = config as AppConfig;
  if (Boolean(result.TLS_CERT) !== Boolean(result.TLS_KEY)) {
    throw new ConfigError(
      'Invalid TLS_CERT/TLS_KEY: only one is set. Fix: set both to serve https, or neither.',
    );
  }
  return result;
}
