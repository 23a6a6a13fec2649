import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { resolve } from 'node:path';
import { AppConfigService } from '../config/app-config.service.js';
import { DATABASE, redactUrl, type DatabaseHandle } from './database.js';
import { MEMBERSHIP_STORE, type MembershipStore } from './membership-store.js';
import { MESSAGE_SEARCH, type MessageSearch } from './message-search.js';
import { MESSAGE_STORE, type MessageStore } from './message-store.js';
import { openPostgresPool } from './postgres/postgres-database.js';
import { PostgresMessageSearch } from './postgres/postgres-message-search.js';
import { PostgresMembershipStore } from './postgres/postgres-membership-store.js';
import { PostgresMessageStore } from './postgres/postgres-message-store.js';
import { PostgresRoomStore } from './postgres/postgres-room-store.js';
import { PostgresUploadStore } from './postgres/postgres-upload-store.js';
import { PostgresUserStore } from './postgres/postgres-user-store.js';
import { ROOM_STORE, type RoomStore } from './room-store.js';
import { openSqliteDatabase, SQLITE_FILE_NAME } from './sqlite/sqlite-database.js';
import { SqliteMessageSearch } from './sqlite/sqlite-message-search.js';
import { SqliteMembershipStore } from './sqlite/sqlite-membership-store.js';
import { SqliteMessageStore } from './sqlite/sqlite-message-store.js';
import { SqliteRoomStore } from './sqlite/sqlite-room-store.js';
import { SqliteUploadStore } from './sqlite/sqlite-upload-store.js';
import { SqliteUserStore } from './sqlite/sqlite-user-store.js';
import { UPLOAD_STORE, type UploadStore } from './upload-store.js';
import { USER_STORE, type UserStore } from './user-store.js';
import { API_KEY_STORE, type ApiKeyStore } from './api-key-store.js';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from './idempotency-store.js';
import { WEBHOOK_STORE, type WebhookStore } from './webhook-store.js';
import { PostgresApiKeyStore } from './postgres/postgres-api-key-store.js';
import { PostgresIdempotencyStore } from './postgres/postgres-idempotency-store.js';
import { PostgresWebhookStore } from './postgres/postgres-webhook-store.js';
import { SqliteApiKeyStore } from './sqlite/sqlite-api-key-store.js';
import { SqliteIdempotencyStore } from './sqlite/sqlite-idempotency-store.js';
import { SqliteWebhookStore } from './sqlite/sqlite-webhook-store.js';
import { WriteHealth } from './write-health.js';

const logger = new Logger('Storage');

/** How long a query waits for a lock before `unavailable`: STORAGE_LOCK_WAIT_MS, or its older SQLite-only name. */
function lockWaitMs(config: AppConfigService): number {
  return config.get('STORAGE_LOCK_WAIT_MS') ?? config.get('SQLITE_LOCK_WAIT_MS');
}

async function openDatabase(config: AppConfigService): Promise<DatabaseHandle> {
  const url = config.get('DATABASE_URL');
  if (url) {
    try {
      const pool = await openPostgresPool(url, lockWaitMs(config));
      logger.debug(`PostgreSQL at ${redactUrl(url)}`);
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
  logger.debug(`SQLite at ${resolve(dataDir, SQLITE_FILE_NAME)}`);
  return { kind: 'sqlite', db };
}

/** Chooses the storage engine from the configuration: PostgreSQL with DATABASE_URL, SQLite otherwise. */
@Module({
  providers: [
    { provide: DATABASE, inject: [AppConfigService], useFactory: openDatabase },
    { provide: WriteHealth, useFactory: () => new WriteHealth() },
    {
      provide: MESSAGE_STORE,
      inject: [DATABASE, AppConfigService, WriteHealth],
      useFactory: (handle: DatabaseHandle, config: AppConfigService, health: WriteHealth): MessageStore =>
        handle.kind === 'postgres'
          ? new PostgresMessageStore(handle.pool, health)
          : new SqliteMessageStore(handle.db, { lockWaitMs: lockWaitMs(config), health }),
    },
    {
      provide: USER_STORE,
      inject: [DATABASE, AppConfigService],
      useFactory: (handle: DatabaseHandle, config: AppConfigService): UserStore =>
        handle.kind === 'postgres'
          ? new PostgresUserStore(handle.pool)
          : new SqliteUserStore(handle.db, lockWaitMs(config)),
    },
    {
      provide: ROOM_STORE,
      inject: [DATABASE, AppConfigService],
      useFactory: (handle: DatabaseHandle, config: AppConfigService): RoomStore =>
        handle.kind === 'postgres'
          ? new PostgresRoomStore(handle.pool)
          : new SqliteRoomStore(handle.db, lockWaitMs(config)),
    },
    {
      provide: MEMBERSHIP_STORE,
      inject: [DATABASE, AppConfigService],
      useFactory: (handle: DatabaseHandle, config: AppConfigService): MembershipStore =>
        handle.kind === 'postgres'
          ? new PostgresMembershipStore(handle.pool)
          : new SqliteMembershipStore(handle.db, lockWaitMs(config)),
    },
    // Services (branch services): API keys, HTTP idempotency keys, webhooks.
    {
      provide: API_KEY_STORE,
      inject: [DATABASE, AppConfigService],
      useFactory: (handle: DatabaseHandle, config: AppConfigService): ApiKeyStore =>
        handle.kind === 'postgres'
          ? new PostgresApiKeyStore(handle.pool)
          : new SqliteApiKeyStore(handle.db, lockWaitMs(config)),
    },
    {
      provide: IDEMPOTENCY_STORE,
      inject: [DATABASE, AppConfigService],
      useFactory: (handle: DatabaseHandle, config: AppConfigService): IdempotencyStore =>
        handle.kind === 'postgres'
          ? new PostgresIdempotencyStore(handle.pool)
          : new SqliteIdempotencyStore(handle.db, lockWaitMs(config)),
    },
    {
      provide: WEBHOOK_STORE,
      inject: [DATABASE, AppConfigService],
      useFactory: (handle: DatabaseHandle, config: AppConfigService): WebhookStore =>
        handle.kind === 'postgres'
          ? new PostgresWebhookStore(handle.pool)
          : new SqliteWebhookStore(handle.db, lockWaitMs(config)),
    },
    {
      provide: UPLOAD_STORE,
      inject: [DATABASE, AppConfigService],
      useFactory: (handle: DatabaseHandle, config: AppConfigService): UploadStore =>
        handle.kind === 'postgres'
          ? new PostgresUploadStore(handle.pool)
          : new SqliteUploadStore(handle.db, lockWaitMs(config)),
    },
    {
      provide: MESSAGE_SEARCH,
      inject: [DATABASE, AppConfigService],
      useFactory: (handle: DatabaseHandle, config: AppConfigService): MessageSearch =>
        handle.kind === 'postgres'
          ? new PostgresMessageSearch(handle.pool)
          : new SqliteMessageSearch(handle.db, lockWaitMs(config)),
    },
  ],
  exports: [
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
