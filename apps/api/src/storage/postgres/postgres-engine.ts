import type pg from 'pg';
import type { StorageEngine } from '../storage-engine.js';
import { WriteHealth } from '../write-health.js';
import { PostgresMembershipStore } from './postgres-membership-store.js';
import { PostgresMessageStore } from './postgres-message-store.js';
import { PostgresRoomStore } from './postgres-room-store.js';
import { PostgresUserStore } from './postgres-user-store.js';
import { postgresWriteProblem } from './postgres-write-probe.js';

/** The PostgreSQL engine over an open pool (openPostgresPool): its four stores share it. */
export function postgresEngine(pool: pg.Pool): StorageEngine {
  const writes = new WriteHealth();
  const messages = new PostgresMessageStore(pool, writes);
  return {
    kind: 'postgres',
    messages,
    users: new PostgresUserStore(pool),
    rooms: new PostgresRoomStore(pool),
    memberships: new PostgresMembershipStore(pool),
    writes,
    database: { kind: 'postgres', pool },
    writeProblem: () => postgresWriteProblem(pool),
    async close() {
      await messages.close();
      await pool.end();
    },
  };
}
