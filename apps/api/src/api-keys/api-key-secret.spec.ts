import { describe, expect, it } from '@jest/globals';
import { generateApiKey, hashApiKey, isApiKey } from './api-key-secret.js';

describe('API key secrets', () => {
  it('should make distinct keys with the prefix and 32 random bytes', () => {
    const keys = new Set(Array.from({ length: 100 }, generateApiKey));
    expect(keys.size).toBe(100);
    for (const key of keys) {
      expect(key).toMatch(/^chat_sk_[A-Za-z0-9_-]{43}$/);
      expect(isApiKey(key)).toBe(true);
    }
  });

  it('should tell a key from a JWT by its prefix', () => {
    expect(isApiKey('eyJhbGciOiJIUzI1NiJ9.e30.x')).toBe(false);
  });

  it('should hash to a stable hex digest that is not the key', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).not.toContain(key.slice(8));
  });
});
