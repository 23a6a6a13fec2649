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
  'AUTH_SHARED_SECRET',
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
  return checkConfig(config as AppConfig);
}

/**
 * The configuration of an embedded chat (`ChatModule.forRoot({config})`): the given values over
 * the defaults every variable has when unset, checked as the environment's are.
 */
export function resolveConfig(given: Partial<AppConfig> = {}): AppConfig {
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  return checkConfig({ ...loadConfig({}), ...defined });
}

/** The checks that span several variables. */
function checkConfig(result: AppConfig): AppConfig {
  if (Boolean(result.TLS_CERT) !== Boolean(result.TLS_KEY)) {
    throw new ConfigError(
      'Invalid TLS_CERT/TLS_KEY: only one is set. Fix: set both to serve https, or neither.',
    );
  }
  checkFrameBudget(result);
  checkHostTokens(result);
  return result;
}

/** A host app's tokens come from one key source, and are checked for whom they were issued. */
function checkHostTokens(config: AppConfig): void {
  const sources = (['AUTH_SHARED_SECRET', 'AUTH_JWKS_URL', 'AUTH_PUBLIC_KEY'] as const).filter(
    (key) => config[key] !== undefined,
  );
  if (sources.length > 1) {
    throw new ConfigError(
      `Invalid ${sources.join('/')}: more than one is set. Fix: set the one your app signs with (JWKS for RS256/ES256 with rotation, a PEM key, or an HS256 secret).`,
    );
  }
  if (sources.length === 1 && (!config.AUTH_ISSUER || !config.AUTH_AUDIENCE)) {
    throw new ConfigError(
      `Invalid AUTH_ISSUER/AUTH_AUDIENCE: ${sources[0]} is set but not both of them. Fix: set AUTH_ISSUER to your tokens' iss and AUTH_AUDIENCE to their aud, so that a token issued by someone else, or for another service, is refused.`,
    );
  }
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
