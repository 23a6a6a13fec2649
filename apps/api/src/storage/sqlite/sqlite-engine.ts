import type Database from 'better-sqlite3';
import type { StorageEngine } from '../storage-engine.js';
import { WriteHealth } from '../write-health.js';
import { SqliteMembershipStore } from './sqlite-membership-store.js';
import { SqliteMessageStore } from './sqlite-message-store.js';
import { SqliteRoomStore } from './sqlite-room-store.js';
import { SqliteUserStore } from './sqlite-user-store.js';
import { sqliteWriteProblem } from './sqlite-write-probe.js';

/** The SQLite engine over an open database (openSqliteDatabase): its four stores share it. */
export function sqliteEngine(db: Database.Database, lockWaitMs: number): StorageEngine {
  const writes = new WriteHealth();
  const messages = new SqliteMessageStore(db, { lockWaitMs, health: writes });
  return {
    kind: 'sqlite',
    messages,
    users: new SqliteUserStore(db, lockWaitMs),
    rooms: new SqliteRoomStore(db, lockWaitMs),
    memberships: new SqliteMembershipStore(db, lockWaitMs),
    writes,
    database: { kind: 'sqlite', db },
    writeProblem: () => Promise.resolve(sqliteWriteProblem(db)),
    async close() {
      await messages.close();
      db.close();
    },
  };
}
