import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { resolve } from 'node:path';
import { AppConfigService } from '../config/app-config.service.js';
import { DATABASE, redactUrl, type DatabaseHandle } from './database.js';
import { MESSAGE_STORE, type MessageStore } from './message-store.js';
import { openPostgresPool } from './postgres/postgres-database.js';
import { PostgresMessageStore } from './postgres/postgres-message-store.js';
import { openSqliteDatabase, SQLITE_FILE_NAME } from './sqlite/sqlite-database.js';
import { SqliteMessageStore } from './sqlite/sqlite-message-store.js';

const logger = new Logger('Storage');

async function openDatabase(config: AppConfigService): Promise<DatabaseHandle> {
  const url = config.get('DATABASE_URL');
  if (url) {
    try {
      const pool = await openPostgresPool(url);
      logger.log(`PostgreSQL at ${redactUrl(url)}`);
      return { kind: 'postgres', pool };
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
  logger.log(`SQLite at ${resolve(dataDir, SQLITE_FILE_NAME)}`);
  return { kind: 'sqlite', db };
}

/** Chooses the storage engine from the configuration: PostgreSQL with DATABASE_URL, SQLite otherwise. */
@Module({
  providers: [
    { provide: DATABASE, inject: [AppConfigService], useFactory: openDatabase },
    {
      provide: MESSAGE_STORE,
      inject: [DATABASE],
      useFactory: (handle: DatabaseHandle): MessageStore =>
        handle.kind === 'postgres'
          ? new PostgresMessageStore(handle.pool)
          : new SqliteMessageStore(handle.db),
    },
  ],
  exports: [MESSAGE_STORE, DATABASE],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly database: DatabaseHandle,
    @Inject(MESSAGE_STORE) private readonly messages: MessageStore,
  ) {}

  /** Runs after the WebSocket server has closed: finish what is in flight, then let go of the database. */
  async onApplicationShutdown(): Promise<void> {
    await this.messages.close();
    if (this.database.kind === 'postgres') await this.database.pool.end();
    else this.database.db.close();
  }
}
