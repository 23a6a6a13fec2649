import { z } from 'zod';
import { weakSecretReason } from '../auth/jwt-secret.js';
import { parseTrustProxy } from '../common/net/proxy-trust.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().min(1);
/** Rate and count limits: 0 turns the limit off (benchmarks use that). */
const limit = z.coerce.number().int().min(0);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
/** AUTH_MAX_TOKEN_LIFETIME_SECONDS's default: a day, a usual upper bound for an access token. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/**
 * Every environment variable the server reads, with its default. Values arrive as strings.
 * The `hint` of each entry is shown when a value is rejected, so the operator knows the fix.
 */
export const configEntries = {
  NODE_ENV: {
    schema: z.enum(['development', 'production', 'test']).default('development'),
    hint: 'use development, production or test',
  },
  PORT: { schema: port.default(3000), hint: 'use a free TCP port such as 3000' },
  HOST: {
    schema: z.string().min(1).optional(),
    hint: 'use an interface address such as 127.0.0.1 or 0.0.0.0',
  },
  DATA_DIR: { schema: z.string().min(1).default('./data'), hint: 'use a writable directory' },
  DATABASE_URL: {
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
      .optional(),
    hint: 'use postgres://user@host:5432/db, or unset it for the embedded SQLite store',
  },
  REDIS_URL: {
    schema: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis://')
      .optional(),
    hint: 'use redis://host:6379, or unset it for the in-process bus',
  },
  REDIS_PREFIX: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 letters, digits or :_.-')
      .default('chat:'),
    hint: 'use a short prefix such as chat: (every instance of one deployment uses the same one)',
  },
  PRESENCE_TTL_MS: {
    schema: z.coerce.number().int().min(1000).default(30000),
    hint: 'use milliseconds such as 30000: a killed instance leaves presence within this long',
  },
  PRESENCE_LIST_MAX: {
    schema: z.coerce.number().int().min(1).default(100),
    hint: 'use a number of users such as 100: rooms with more online get counts instead of the list',
  },
  JWT_SECRET: {
    schema: z
      .string()
      .superRefine((secret, ctx) => {
        const weak = weakSecretReason(secret);
        if (weak !== null) ctx.addIssue({ code: 'custom', message: weak });
      })
      .optional(),
    hint: 'use a random string of 32+ non-whitespace characters (openssl rand -hex 32), or unset it to generate one under DATA_DIR',
  },
  TOKEN_TTL_SECONDS: {
    schema: z.coerce
      .number()
      .int()
      .min(60)
      .default(7 * 24 * 3600),
    hint: 'use a number of seconds such as 604800 (7 days)',
  },
  ALLOW_GUESTS: { schema: bool.default(true), hint: 'use true or false' },
  // Tokens of a host app (docs/embedding.md, "Your own users"): one key source at most.
  AUTH_SHARED_SECRET: {
    schema: z
      .string()
      .superRefine((secret, ctx) => {
        const weak = weakSecretReason(secret);
        if (weak !== null) ctx.addIssue({ code: 'custom', message: weak });
      })
      .optional(),
    hint: "use the HS256 secret your app signs its users' tokens with (32+ characters), or unset it",
  },
  AUTH_JWKS_URL: {
    schema: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    hint: "use the URL of your identity provider's JWKS, such as https://id.example.com/.well-known/jwks.json, or unset it",
  },
  AUTH_JWKS_COOLDOWN_MS: {
    schema: z.coerce.number().int().min(0).default(30000),
    hint: 'use milliseconds such as 30000: after a fetch of AUTH_JWKS_URL, a token with an unknown kid waits this long before the set is fetched again',
  },
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: {
    schema: z.coerce.number().int().min(0).default(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS),
    hint: 'use seconds such as 86400: a host token whose exp is further than this after its iat (or after now, without iat) is refused; 0 turns the cap off',
  },
  AUTH_PUBLIC_KEY: {
    schema: z
      .string()
      .transform((pem) => pem.replace(/\\n/g, '\n'))
      .refine((pem) => pem.includes('-----BEGIN PUBLIC KEY-----'), 'must be a PEM public key (SPKI)')
      .optional(),
    hint: 'use the RS256/ES256 public key as PEM ("-----BEGIN PUBLIC KEY-----..."; \\n for line breaks is fine), or unset it',
  },
  AUTH_ISSUER: {
    schema: z.string().min(1).optional(),
    hint: "use your tokens' `iss`, such as https://id.example.com/ (required with AUTH_JWKS_URL, AUTH_PUBLIC_KEY or AUTH_SHARED_SECRET)",
  },
  AUTH_AUDIENCE: {
    schema: z.string().min(1).optional(),
    hint: 'use the `aud` your app puts in tokens for the chat, such as chat (required with AUTH_JWKS_URL, AUTH_PUBLIC_KEY or AUTH_SHARED_SECRET)',
  },
  AUTH_COOKIE_NAME: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits or _.-')
      .default('chat_token'),
    hint: 'use a cookie name such as chat_token (your app may set it to its own token)',
  },
  AUTH_LOCAL_ACCOUNTS: {
    schema: bool.default(true),
    hint: "use true (the chat's own register and login work alongside your tokens) or false (only your app's tokens, and guests if allowed)",
  },
  ALLOWED_ORIGINS: {
    schema: commaList.default([]),
    hint: 'use a comma-separated list such as https://chat.example.com,https://admin.example.com',
  },
  DEV_SERVER_ORIGIN: {
    schema: z.string().default('http://localhost:5173'),
    hint: 'the origin of the Vite dev server (allowed only when NODE_ENV=development)',
  },
  TLS_CERT: { schema: z.string().min(1).optional(), hint: 'path to a PEM certificate (set TLS_KEY too)' },
  TLS_KEY: { schema: z.string().min(1).optional(), hint: 'path to a PEM private key (set TLS_CERT too)' },
  WEB_DIST_DIR: { schema: z.string().min(1).optional(), hint: 'path to the built SPA (apps/web/dist)' },
  WEB_APP_URL: {
    schema: z.url({ protocol: /^https?$/ }).optional(),
    hint: 'use the http(s) URL the web app is served from, such as http://localhost:5173 (npm run dev sets it); unset: the server serves the built SPA itself',
  },
  MAX_TEXT_LENGTH: { schema: positiveInt.default(4000), hint: 'use a number of characters such as 4000' },
  MAX_FRAME_BYTES: {
    schema: z.coerce.number().int().min(1024).default(65536),
    hint: 'use a byte count of at least 1024, such as 65536',
  },
  SEND_RATE_PER_SEC: {
    schema: z.coerce.number().min(0).default(10),
    hint: 'use sends per second such as 10, or 0 for no limit',
  },
  SEND_BURST: { schema: limit.default(20), hint: 'use a number of sends such as 20' },
  FRAME_RATE_PER_SEC: {
    schema: z.coerce.number().min(0).default(50),
    hint: 'use frames per second such as 50, or 0 for no limit',
  },
  FRAME_BURST: { schema: limit.default(100), hint: 'use a number of frames such as 100' },
  LOGIN_LIMIT_PER_IP: {
    schema: limit.default(30),
    hint: 'use sign-in attempts per minute per client IP, such as 30, or 0 for no limit',
  },
  LOGIN_LIMIT_PER_USERNAME: {
    schema: limit.default(10),
    hint: 'use sign-in attempts per minute per username from one client IP, such as 10, or 0 for no limit',
  },
  LOGIN_FAILURES_PER_USERNAME: {
    schema: limit.default(100),
    hint: 'use failed logins per hour per username from all addresses together, such as 100, or 0 for no limit',
  },
  SENDS_PER_MINUTE_PER_USER: {
    schema: limit.default(300),
    hint: 'use messages per minute per user across all connections and instances, such as 300, or 0 for no limit',
  },
  SENDS_PER_MINUTE_PER_IP: {
    schema: limit.default(1200),
    hint: 'use messages per minute per client IP (every guest and account behind it), such as 1200, or 0 for no limit',
  },
  ROOMS_PER_HOUR_PER_USER: {
    schema: limit.default(30),
    hint: 'use room creations per hour per account, such as 30, or 0 for no limit',
  },
  ROOMS_PER_HOUR_PER_IP: {
    schema: limit.default(100),
    hint: 'use room creations per hour per client IP, such as 100, or 0 for no limit',
  },
  DMS_PER_MINUTE_PER_USER: {
    schema: limit.default(10),
    hint: 'use new direct-message rooms one account may open per minute, such as 10, or 0 for no limit',
  },
  MAX_MEMBERS_PER_ROOM: {
    schema: limit.default(5000),
    hint: 'use the most members a room may have (general excepted), such as 5000, or 0 for no limit',
  },
  READS_PER_MINUTE_PER_USER: {
    schema: limit.default(600),
    hint: 'use reads (GET /api/rooms... and history frames) per minute per user, such as 600, or 0 for no limit',
  },
  READS_PER_MINUTE_PER_IP: {
    schema: limit.default(1200),
    hint: 'use reads (GET /api/rooms... and history frames) per minute per client IP, such as 1200, or 0 for no limit',
  },
  SEARCHES_PER_MINUTE_PER_USER: {
    schema: limit.default(60),
    hint: 'use searches (GET /api/search) per minute per user, such as 60, or 0 for no limit',
  },
  SEARCHES_PER_MINUTE_PER_IP: {
    schema: limit.default(300),
    hint: 'use searches (GET /api/search) per minute per client IP, such as 300, or 0 for no limit',
  },
  TRUST_PROXY: {
    schema: z
      .string()
      .default('false')
      .transform((value, ctx) => {
        const parsed = parseTrustProxy(value);
        if (typeof parsed !== 'string') return parsed;
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }),
    hint: 'use false (no proxy), the number of proxies in front such as 1 (true means 1), or a comma list of proxy addresses/CIDRs such as 10.0.0.0/8,loopback',
  },
  MAX_ROOMS_PER_CONNECTION: { schema: limit.default(50), hint: 'use a number such as 50, or 0 for no limit' },
  MAX_CONNECTIONS_PER_IP: {
    schema: limit.default(1000),
    hint: 'use a number such as 1000, or 0 for no limit',
  },
  MAX_CONNECTIONS: {
    schema: limit.default(10000),
    hint: 'use a number of WebSocket connections per instance such as 10000 (below ulimit -n), or 0 for no limit',
  },
  HEADERS_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).default(5000),
    hint: 'use milliseconds such as 5000: a connection that has not sent its request headers by then is closed',
  },
  REQUEST_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).default(10000),
    hint: 'use milliseconds such as 10000: a request whose body has not fully arrived by then is cut off',
  },
  METRICS_TOKEN: {
    schema: z.string().min(16, 'must be at least 16 characters').optional(),
    hint: 'use a random string of 16+ characters (openssl rand -hex 16); scrapers send it as Authorization: Bearer <token>',
  },
  METRICS_PORT: {
    schema: port.optional(),
    hint: 'use a port for /metrics alone, such as 9464, reachable only from the monitoring network; or unset it',
  },
  MAX_QUEUED_BYTES: { schema: positiveInt.default(1048576), hint: 'use a byte count such as 1048576' },
  MAX_PAGE_BYTES: {
    schema: z.coerce.number().int().min(4096).optional(),
    hint: 'use a byte count of at least 4096 and well below MAX_QUEUED_BYTES, such as 262144, or unset it for a quarter of MAX_QUEUED_BYTES (at most 262144)',
  },
  HEARTBEAT_MS: {
    schema: z.coerce.number().int().min(100).default(25000),
    hint: 'use milliseconds such as 25000',
  },
  SQLITE_LOCK_WAIT_MS: {
    schema: z.coerce.number().int().min(0).default(10000),
    hint: 'use milliseconds such as 10000: how long a write waits for a lock held by another process before `unavailable`',
  },
  STORAGE_LOCK_WAIT_MS: {
    schema: z.coerce.number().int().min(1).optional(),
    hint: 'use milliseconds such as 10000: how long a write or read waits for a lock (SQLite or PostgreSQL) before `unavailable`; unset: SQLITE_LOCK_WAIT_MS',
  },
  POLICY_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(1).default(2000),
    hint: 'use milliseconds such as 2000: a chat policy that has not answered by then refuses the action (unavailable)',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    hint: 'use one of fatal, error, warn, info, debug, trace, silent',
  },
  // Services (branch services): API keys and webhooks (docs/embedding.md).
  API_KEY_REQUESTS_PER_MINUTE: {
    schema: limit.default(600),
    hint: 'use requests per minute per API key such as 600 (0 turns the limit off)',
  },
  WEBHOOKS_ENABLED: {
    schema: bool.default(true),
    hint: 'use true (this instance delivers webhooks) or false (it never does; others may)',
  },
  WEBHOOK_ALLOW_PRIVATE: {
    schema: bool.default(false),
    hint: 'use true to allow webhook URLs on loopback, private and link-local addresses (a receiver on the same host or network), or false',
  },
  WEBHOOK_TIMEOUT_MS: {
    schema: positiveInt.default(10000),
    hint: 'use milliseconds such as 10000: a receiver that has not answered by then counts as a failed attempt',
  },
  WEBHOOK_MAX_ATTEMPTS: {
    schema: positiveInt.default(12),
    hint: 'use a count such as 12: after that many failed attempts an event becomes a dead letter',
  },
  WEBHOOK_BACKOFF_BASE_MS: {
    schema: positiveInt.default(1000),
    hint: 'use milliseconds such as 1000: the first retry waits up to this long, each later one up to twice as long',
  },
  WEBHOOK_BACKOFF_MAX_MS: {
    schema: positiveInt.default(3_600_000),
    hint: 'use milliseconds such as 3600000: no retry waits longer than this',
  },
  WEBHOOK_CONCURRENCY: {
    schema: positiveInt.default(8),
    hint: 'use a count such as 8: how many (endpoint, room) streams one instance delivers at once',
  },
  WEBHOOK_POLL_MS: {
    schema: positiveInt.default(1000),
    hint: 'use milliseconds such as 1000: how often an instance looks for events stored by the others',
  },
  // File attachments (apps/api/src/attachments/).
  UPLOAD_MAX_BYTES: {
    schema: positiveInt.default(10 * 1024 * 1024),
    hint: 'use bytes per uploaded file, such as 10485760 (10 MiB)',
  },
  UPLOADS_PER_HOUR_PER_USER: {
    schema: limit.default(60),
    hint: 'use uploads per hour per account across instances, such as 60, or 0 for no limit',
  },
  UPLOAD_BYTES_PER_HOUR_PER_USER: {
    schema: limit.default(200 * 1024 * 1024),
    hint: 'use bytes uploaded per hour per account across instances, such as 209715200 (200 MiB), or 0 for no limit',
  },
  UPLOAD_MAX_PIXELS: {
    schema: positiveInt.default(40_000_000),
    hint: 'use the most pixels (width x height) an uploaded image may have, such as 40000000',
  },
  UPLOAD_ORPHAN_HOURS: {
    schema: positiveInt.default(24),
    hint: 'use hours after which an upload that no message took is deleted, such as 24',
  },
  // The example modules (apps/api/src/examples/).
  WORD_FILTER_WORDS: {
    schema: commaList.default([]),
    hint: 'use a comma-separated list of words to refuse in messages, such as spam,scam; or leave it empty (off)',
  },
  CI_WEBHOOK_SECRET: {
    schema: z.string().min(16, 'must be at least 16 characters').optional(),
    hint: 'use a random string of 16+ characters (openssl rand -hex 16) that your CI sends as X-CI-Secret; or unset it (the hook is off)',
  },
} as const;

type Entries = typeof configEntries;
export type AppConfig = { [K in keyof Entries]: z.output<Entries[K]['schema']> };
export type ConfigKey = keyof AppConfig;
