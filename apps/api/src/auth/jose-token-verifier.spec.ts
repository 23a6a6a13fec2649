import { describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { UnauthorizedError } from '../common/errors/chat-errors.js';
import { loadConfig } from '../config/load-config.js';
import { JoseTokenVerifier } from './jose-token-verifier.js';

const SECRET = 'jose-verifier-spec-shared-secret-0123456789abcdef';
const ISSUER = 'https://id.spec.example/';
const AUDIENCE = 'chat';
const DAY = 24 * 3600;

/** A real HS256 token of the host app: `exp` and `iat` in unix seconds (`iat` null: none). */
function token(exp: number, iat: number | null): Promise<string> {
  let jwt = new SignJWT({ name: 'Lena' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('lena')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime(exp);
  if (iat !== null) jwt = jwt.setIssuedAt(iat);
  return jwt.sign(new TextEncoder().encode(SECRET));
}

function verifier(env: Record<string, string> = {}): JoseTokenVerifier {
  const config = loadConfig({
    AUTH_SHARED_SECRET: SECRET,
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    ...env,
  });
  return JoseTokenVerifier.fromConfig(config)!;
}

const now = () => Math.floor(Date.now() / 1000);

describe('JoseTokenVerifier lifetime cap (AUTH_MAX_TOKEN_LIFETIME_SECONDS)', () => {
  it('should refuse a token whose exp is 100 years after its iat, by default, saying what to fix', async () => {
    const refused = verifier().verify(await token(now() + 100 * 365 * DAY, now()));
    await expect(refused).rejects.toThrow(UnauthorizedError);
    await expect(refused).rejects.toThrow(
      /exp is \d+ s after iat, more than the 86400 s this chat accepts \(AUTH_MAX_TOKEN_LIFETIME_SECONDS\): issue tokens that expire sooner/,
    );
  });

  it('should refuse a token without iat whose exp is more than the cap from now', async () => {
    await expect(verifier().verify(await token(now() + 2 * DAY, null))).rejects.toThrow(
      /exp is \d+ s after now, more than the 86400 s/,
    );
  });

  it('should measure from iat: a 30-day token is refused even on its last day', async () => {
    await expect(verifier().verify(await token(now() + 600, now() - 30 * DAY + 600))).rejects.toThrow(
      /after iat/,
    );
  });

  it('should accept a token of exactly the cap, and one without iat within the cap and the clock skew', async () => {
    const issued = now();
    expect((await verifier().verify(await token(issued + DAY, issued))).subject).toBe('lena');
    expect((await verifier().verify(await token(now() + DAY + 30, null))).subject).toBe('lena');
  });

  it('should follow the setting, and take 0 as no cap', async () => {
    const hour = await token(now() + 7200, now());
    await expect(verifier({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' }).verify(hour)).rejects.toThrow(
      /more than the 3600 s/,
    );
    const century = await token(now() + 100 * 365 * DAY, now());
    expect((await verifier({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '0' }).verify(century)).subject).toBe('lena');
  });

  it('should refuse a negative cap at start-up', () => {
    expect(() => verifier({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '-1' })).toThrow(
      /AUTH_MAX_TOKEN_LIFETIME_SECONDS/,
    );
  });
});
