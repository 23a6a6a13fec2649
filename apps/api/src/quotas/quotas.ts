import { Inject, Injectable } from '@nestjs/common';
import { REDIS, type RedisConnections } from '../redis/redis-connections.js';
import { AppConfigService } from '../config/app-config.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { Quota } from './quota.js';
import { quotaLimiter } from './quota-limiter.js';

const MINUTE = 60;
const HOUR = 3600;

/**
 * The limits above one connection: what one user, or one client IP, may do across all its
 * connections and (with Redis) all instances. Per-connection limits cannot stop a client that
 * opens many connections, or many guest identities.
 */
@Injectable()
export class Quotas {
  /** Messages stored (both protocols). */
  readonly sends: Quota;
  /** Rooms created (POST /api/rooms, or joining a new room). */
  readonly roomCreations: Quota;
  /** Direct-message rooms opened (a DM that exists already is not counted). Per account only. */
  readonly dmOpens: Quota;
  /** Pages read on demand: GET requests of the HTTP API's room routes, `history` and `join` frames. */
  readonly reads: Quota;
  /**
   * Searches (GET /api/search), on top of `reads`: one can cost tens of milliseconds of the
   * database (on SQLite, of the event loop), where a page costs well under one.
   */
  readonly searches: Quota;

  constructor(
    config: AppConfigService,
    metrics: MetricsService,
    @Inject(REDIS) redis: RedisConnections | null,
  ) {
    const quota = (name: string, what: string, windowSeconds: number, perUser: number, perIp: number) =>
      new Quota(
        what,
        quotaLimiter({ name: `${name}:user`, points: perUser, windowSeconds }, redis),
        quotaLimiter({ name: `${name}:ip`, points: perIp, windowSeconds }, redis),
        () => metrics.rateLimited.inc({ limit: name }),
      );
    this.sends = quota(
      'sends',
      'messages',
      MINUTE,
      config.get('SENDS_PER_MINUTE_PER_USER'),
      config.get('SENDS_PER_MINUTE_PER_IP'),
    );
    this.roomCreations = quota(
      'rooms',
      'new rooms',
      HOUR,
      config.get('ROOMS_PER_HOUR_PER_USER'),
      config.get('ROOMS_PER_HOUR_PER_IP'),
    );
    this.dmOpens = quota('dms', 'new direct messages', MINUTE, config.get('DMS_PER_MINUTE_PER_USER'), 0);
    this.reads = quota(
      'reads',
      'reads',
      MINUTE,
      config.get('READS_PER_MINUTE_PER_USER'),
      config.get('READS_PER_MINUTE_PER_IP'),
    );
    this.searches = quota(
      'searches',
      'searches',
      MINUTE,
      config.get('SEARCHES_PER_MINUTE_PER_USER'),
      config.get('SEARCHES_PER_MINUTE_PER_IP'),
    );
  }
}
