import type { IncomingMessage } from 'node:http';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/app-config.schema.js';

/** Probes and scrapes would drown the log: they are not logged per request. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Structured logs (pino): one JSON object per line in production, readable single lines in
 * development. Credentials never reach a log line: the headers that carry them are redacted,
 * and request bodies (passwords, message text) are never logged.
 */
export function loggerOptions(config: AppConfig): Options {
  return {
    level: config.LOG_LEVEL,
    ...(config.NODE_ENV === 'development' && {
      transport: {
        target: 'pino-pretty',
        options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
      },
    }),
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
    autoLogging: { ignore: (request: IncomingMessage) => QUIET_PATHS.has(request.url ?? '') },
    // Only what helps: not every header of every request.
    serializers: {
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        ip: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
