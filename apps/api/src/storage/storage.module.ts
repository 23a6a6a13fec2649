import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { resolve } from 'node:path';
import { AppConfigService } from '../config/app-config.service.js';
import { DATABASE, redactUrl } from './database.js';
import { API_KEY_STORE } from './api-key-store.js';
import { IDEMPOTENCY_STORE } from './idempotency-store.js';
import { MEMBERSHIP_STORE } from './membership-store.js';
import { MESSAGE_SEARCH } from './message-search.js';
import { MESSAGE_STORE } from './message-store.js';
import { openPostgresPool } from './postgres/postgres-database.js';
import { postgresEngine } from './postgres/postgres-engine.js';
import { ROOM_STORE } from './room-store.js';
import { openSqliteDatabase, SQLITE_FILE_NAME } from './sqlite/sqlite-database.js';
import { sqliteEngine } from './sqlite/sqlite-engine.js';
import { GIVEN_STORAGE_ENGINE, STORAGE_ENGINE, type StorageEngine } from './storage-engine.js';
import { UPLOAD_STORE } from './upload-store.js';
import { USER_STORE } from './user-store.js';
import { WEBHOOK_STORE } from './webhook-store.js';
import { WriteHealth } from './write-health.js';

const logger = new Logger('Storage');

/** How long a query waits for a lock before `unavailable`: STORAGE_LOCK_WAIT_MS, or its older SQLite-only name. */
function lockWaitMs(config: AppConfigService): number {
  return config.get('STORAGE_LOCK_WAIT_MS') ?? config.get('SQLITE_LOCK_WAIT_MS');
}

/** Every store of a {@link StorageEngine}: what an engine given by the embedder must have. */
const ENGINE_STORES = [
  'messages',
  'users',
  'rooms',
  'memberships',
  'search',
  'uploads',
  'apiKeys',
  'idempotency',
  'webhooks',
  'writes',
] as const satisfies readonly (keyof StorageEngine)[];

/** The one place the engine is chosen: the embedder's, else PostgreSQL with DATABASE_URL, else SQLite. */
async function chooseEngine(
  config: AppConfigService,
  given: StorageEngine | undefined,
): Promise<StorageEngine> {
  if (given) {
    // Checked here, at start-up: a missing store would otherwise be injected as undefined and
    // fail on its first use (a search, an upload, an API key), far from the cause.
    const missing = ENGINE_STORES.filter((store) => given[store] === undefined);
    if (missing.length > 0) {
      throw new Error(
        `The storage engine given to ChatModule (${given.kind}) lacks ${missing.join(', ')}. Fix: give every store of StorageEngine (docs/embedding.md), or leave storage unset to use the configured database.`,
      );
    }
    logger.debug(`storage given by the host app (${given.kind})`);
    return given;
  }
  const url = config.get('DATABASE_URL');
  if (url) {
    try {
      const pool = await openPostgresPool(url, lockWaitMs(config));
      logger.debug(`PostgreSQL at ${redactUrl(url)}`);
      return postgresEngine(pool);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Cannot use PostgreSQL at ${redactUrl(url)}: ${reason}. Fix: start PostgreSQL, correct DATABASE_URL, or unset it to use the embedded SQLite store.`,
        { cause: error },
      );
    }
  }
  const dataDir = config.get('DATA_DIR');
  const db = openSqliteDatabase(dataDir);
  logger.debug(`SQLite at ${resolve(dataDir, SQLITE_FILE_NAME)}`);
  return sqliteEngine(db, lockWaitMs(config));
}

/** Provides the stores of the chosen {@link StorageEngine} under their ports' tokens. */
@Module({
  providers: [
    {
      provide: STORAGE_ENGINE,
      inject: [AppConfigService, { token: GIVEN_STORAGE_ENGINE, optional: true }],
      useFactory: chooseEngine,
    },
    {
      provide: MESSAGE_STORE,
      inject: [STORAGE_ENGINE],
      useFactory: (engine: StorageEngine) => engine.messages,
    },
    { provide: USER_STORE, inject: [STORAGE_ENGINE], useFactory: (engine: StorageEngine) => engine.users },
    { provide: ROOM_STORE, inject: [STORAGE_ENGINE], useFactory: (engine: StorageEngine) => engine.rooms },
    {
      provide: MEMBERSHIP_STORE,
      inject: [STORAGE_ENGINE],
      useFactory: (engine: StorageEngine) => engine.memberships,
    },
    { provide: WriteHealth, inject: [STORAGE_ENGINE], useFactory: (engine: StorageEngine) => engine.writes },
    // The engine's own connection (null for an embedder's engine): the fault tests break it on purpose.
    {
      provide: DATABASE,
      inject: [STORAGE_ENGINE],
      useFactory: (engine: StorageEngine) => engine.database ?? null,
    },
    {
      provide: MESSAGE_SEARCH,
      inject: [STORAGE_ENGINE],
      useFactory: (engine: StorageEngine) => engine.search,
    },
    {
      provide: UPLOAD_STORE,
      inject: [STORAGE_ENGINE],
      useFactory: (engine: StorageEngine) => engine.uploads,
    },
    {
      provide: API_KEY_STORE,
      inject: [STORAGE_ENGINE],
      useFactory: (engine: StorageEngine) => engine.apiKeys,
    },
    {
      provide: IDEMPOTENCY_STORE,
      inject: [STORAGE_ENGINE],
      useFactory: (engine: StorageEngine) => engine.idempotency,
    },
    {
      provide: WEBHOOK_STORE,
      inject: [STORAGE_ENGINE],
      useFactory: (engine: StorageEngine) => engine.webhooks,
    },
  ],
  exports: [
    STORAGE_ENGINE,
    MESSAGE_STORE,
    MESSAGE_SEARCH,
    USER_STORE,
    ROOM_STORE,
    MEMBERSHIP_STORE,
    API_KEY_STORE,
    IDEMPOTENCY_STORE,
    WEBHOOK_STORE,
    UPLOAD_STORE,
    DATABASE,
    WriteHealth,
  ],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(@Inject(STORAGE_ENGINE) private readonly engine: StorageEngine) {}

  /** Runs after the WebSocket server has closed: finish what is in flight, then let go of the database. */
  async onApplicationShutdown(): Promise<void> {
    await this.engine.close();
  }
}
