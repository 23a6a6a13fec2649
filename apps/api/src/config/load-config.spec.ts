import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './load-config.js';

describe(loadConfig.name, () => {
  it('should apply the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      ALLOW_GUESTS: true,
      MAX_TEXT_LENGTH: 4000,
      MAX_FRAME_BYTES: 65536,
      SEND_RATE_PER_SEC: 10,
      SEND_BURST: 20,
      MAX_ROOMS_PER_CONNECTION: 50,
      MAX_CONNECTIONS_PER_IP: 1000,
      MAX_QUEUED_BYTES: 1048576,
      HEARTBEAT_MS: 25000,
      ALLOWED_ORIGINS: [],
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('should parse numbers, booleans and lists from strings', () => {
    const config = loadConfig({
      PORT: '8080',
      ALLOW_GUESTS: 'false',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(config.PORT).toBe(8080);
    expect(config.ALLOW_GUESTS).toBe(false);
    expect(config.ALLOWED_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('should treat an empty value as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });

  it.each([
    ['PORT', 'abc', /Invalid PORT="abc": .*Fix: use a free TCP port/],
    ['PORT', '70000', /Invalid PORT="70000"/],
    ['DATABASE_URL', 'mysql://x', /Invalid DATABASE_URL=.*must start with postgres:\/\//],
    ['ALLOW_GUESTS', 'maybe', /Invalid ALLOW_GUESTS="maybe": expected true or false/],
    ['JWT_SECRET', 'short', /at least 32 characters/],
  ])('should reject %s=%s with one line naming the variable and the fix', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [key]: value })).toThrow(message);
  });

  it('should never echo a secret it refuses', () => {
    const secret = 'q'.repeat(40); // long enough, but one character repeated
    expect(() => loadConfig({ JWT_SECRET: secret })).toThrow(/Invalid JWT_SECRET=<hidden>: /);
    expect(() => loadConfig({ JWT_SECRET: secret })).not.toThrow(/qqqq/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:pw@db/x' })).not.toThrow(/pw@db/);
  });

  it('should require TLS_CERT and TLS_KEY together', () => {
    expect(() => loadConfig({ TLS_CERT: '/tmp/cert.pem' })).toThrow(/only one is set/);
  });
});
