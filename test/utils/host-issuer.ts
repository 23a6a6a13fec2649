import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

export const HOST_ISSUER = 'https://id.host.example/';
export const HOST_AUDIENCE = 'chat';

/** One signing key of the test's host app, with the `kid` its JWKS names it by. */
export interface HostKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

export async function hostKey(kid: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<HostKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}

export interface SignOptions {
  issuer?: string;
  audience?: string;
  /** Seconds from now; null: no `exp` at all. */
  expiresIn?: number | null;
  /** `iat` in unix seconds; default now. */
  issuedAt?: number;
  /** Sign with this key but name another `kid` in the header (a forgery). */
  kid?: string;
}

/** A token of the host app, as its sign-in would issue it. */
export async function signHostToken(
  key: HostKey | { secret: string },
  claims: JWTPayload,
  options: SignOptions = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const header = 'secret' in key ? { alg: 'HS256' } : { alg: key.alg, kid: options.kid ?? key.kid };
  let jwt = new SignJWT(claims)
    .setProtectedHeader(header)
    .setIssuer(options.issuer ?? HOST_ISSUER)
    .setAudience(options.audience ?? HOST_AUDIENCE)
    .setIssuedAt(options.issuedAt ?? now);
  const expiresIn = options.expiresIn === undefined ? 600 : options.expiresIn;
  if (expiresIn !== null) jwt = jwt.setExpirationTime(now + expiresIn);
  return jwt.sign('secret' in key ? new TextEncoder().encode(key.secret) : key.privateKey);
}

/** The host app's JWKS endpoint on a local port: its keys can be rotated; it counts its fetches. */
export class JwksServer {
  keys: HostKey[] = [];
  fetches = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(keys: HostKey[]): Promise<JwksServer> {
    const state = { jwks: undefined as JwksServer | undefined };
    const server = createServer((_request, response) => {
      const jwks = state.jwks!;
      jwks.fetches += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: jwks.keys.map((key) => key.publicJwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    state.jwks = new JwksServer(server, `http://127.0.0.1:${port}/.well-known/jwks.json`);
    state.jwks.keys = keys;
    return state.jwks;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
