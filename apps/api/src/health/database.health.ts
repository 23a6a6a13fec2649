import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { STORAGE_ENGINE, type StorageEngine } from '../storage/storage-engine.js';

const TIMEOUT_MS = 2000;

/**
 * Whether the database would take a write now, quickly: it answers, is not locked or read-only,
 * has its schema, and the last real write did not fail (a full disk shows only there).
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @Inject(STORAGE_ENGINE) private readonly engine: StorageEngine,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult<'database'>> {
    const engine = this.engine;
    return await this.health
      .check('database')
      .attempt(async () => {
        const failing = (await engine.writeProblem()) ?? engine.writes.failing;
        if (failing !== null) throw new Error(`writes would fail: ${failing}`);
        return { engine: engine.kind };
      })
      .withTimeout(TIMEOUT_MS);
  }
}
