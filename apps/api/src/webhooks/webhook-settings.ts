import type { AppConfigService } from '../config/app-config.service.js';

/** The dispatcher's knobs, read once from the configuration. */
export interface WebhookSettings {
  enabled: boolean;
  allowPrivate: boolean;
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  concurrency: number;
  pollMs: number;
  /** A claim's lease: long enough for a few attempts; a crashed owner's rows are free after it. */
  leaseMs: number;
}

export function webhookSettings(config: AppConfigService): WebhookSettings {
  const timeoutMs = config.get('WEBHOOK_TIMEOUT_MS');
  return {
    enabled: config.get('WEBHOOKS_ENABLED'),
    allowPrivate: config.get('WEBHOOK_ALLOW_PRIVATE'),
    timeoutMs,
    maxAttempts: config.get('WEBHOOK_MAX_ATTEMPTS'),
    backoffBaseMs: config.get('WEBHOOK_BACKOFF_BASE_MS'),
    backoffMaxMs: config.get('WEBHOOK_BACKOFF_MAX_MS'),
    concurrency: config.get('WEBHOOK_CONCURRENCY'),
    pollMs: config.get('WEBHOOK_POLL_MS'),
    leaseMs: Math.max(30_000, timeoutMs * 3),
  };
}
