import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DATABASE, type DatabaseHandle } from '../storage/database.js';

const TIMEOUT_MS = 2000;

/** Whether the message store's database answers a trivial query, quickly. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @Inject(DATABASE) private readonly database: DatabaseHandle,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult<'database'>> {
    const database = this.database;
    return await this.health
      .check('database')
      .attempt(async () => {
        if (database.kind === 'postgres') await database.pool.query('SELECT 1');
        else database.db.prepare('SELECT 1').get();
        return { engine: database.kind };
      })
      .withTimeout(TIMEOUT_MS);
  }
}
