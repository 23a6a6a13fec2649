import { ConfigurableModuleBuilder, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import type { ExternalTokenVerifier } from '../auth/external-token-verifier.js';
import type { Bus } from '../bus/bus.js';
import type { AppConfig } from '../config/app-config.schema.js';
import type { StorageEngine } from '../storage/storage-engine.js';

/** What `ChatModule.forRoot` (or the factory of `forRootAsync`) is given. */
export interface ChatModuleOptions {
  /**
   * The configuration: a whole AppConfig (`loadConfig(process.env)`), or only the values to
   * change, over the defaults of docs/operations.md's table.
   */
  config?: Partial<AppConfig>;
  /** The stores to use; then DATABASE_URL and DATA_DIR's SQLite file are not opened. */
  storage?: StorageEngine;
  /** The bus between instances; then REDIS_URL does not choose one. */
  bus?: Bus;
  /** Checks the host app's tokens instead of the AUTH_* variables' verifier. */
  identity?: ExternalTokenVerifier;
}

/** Chosen when the module is declared (not by an async factory): they shape the module itself. */
export interface ChatModuleExtras {
  /** More feature modules (policies, posting hooks, bots, slash commands), imported after the chat's own. */
  features?: NonNullable<ModuleMetadata['imports']>;
}

export const {
  ConfigurableModuleClass: ConfigurableChatModule,
  MODULE_OPTIONS_TOKEN: CHAT_MODULE_OPTIONS,
  OPTIONS_TYPE: CHAT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CHAT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ChatModuleOptions>({ moduleName: 'Chat' })
  .setClassMethodName('forRoot')
  .setExtras<ChatModuleExtras>({ features: [] }, (definition: DynamicModule, extras) => ({
    ...definition,
    imports: [...(definition.imports ?? []), ...(extras.features ?? [])],
  }))
  .build();
