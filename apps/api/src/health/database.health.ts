import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DATABASE, type DatabaseHandle } from '../storage/database.js';
import { postgresWriteProblem } from '../storage/postgres/postgres-write-probe.js';
import { sqliteWriteProblem } from '../storage/sqlite/sqlite-write-probe.js';
import { WriteHealth } from '../storage/write-health.js';

const TIMEOUT_MS = 2000;

/**
 * Whether the database would take a write now, quickly: it answers, is not locked or read-only,
 * has its schema, and the last real write did not fail (a full disk shows only there).
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @Inject(DATABASE) private readonly database: DatabaseHandle,
    private readonly writes: WriteHealth,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult<'database'>> {
    const database = this.database;
    return await this.health
      .check('database')
      .attempt(async () => {
        const problem =
          database.kind === 'postgres'
            ? await postgresWriteProblem(database.pool)
            : sqliteWriteProblem(database.db);
        const failing = problem ?? this.writes.failing;
        if (failing !== null) throw new Error(`writes would fail: ${failing}`);
        return { engine: database.kind };
      })
      .withTimeout(TIMEOUT_MS);
  }
}
