import type { AppConfig, ConfigKey } from './app-config.schema.js';

/** The validated configuration; the only way the rest of the server learns about the environment. */
export class AppConfigService {
  constructor(private readonly config: AppConfig) {}

  get<K extends ConfigKey>(key: K): AppConfig[K] {
    return this.config[key];
  }

  /** The whole configuration, for code that is handed all of it (the transport's limits). */
  get all(): Readonly<AppConfig> {
    return this.config;
  }

  get isProduction(): boolean {
    return this.config.NODE_ENV === 'production';
  }
}
