import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** Who the host app says it is in its tokens, and whom it issues them for. */
export const HOST_ISSUER = 'https://host-app.example/';
export const CHAT_AUDIENCE = 'chat';

/**
 * The host app's signing key (RS256), made at start-up. A real app keeps its keys in its
 * identity provider or a secret store and rotates them; the chat finds a new `kid` by itself.
 */
export class HostKeys {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
  ) {}

  static async generate(kid = 'host-key-1'): Promise<HostKeys> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    return new HostKeys(privateKey, { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' });
  }

  /** What GET /.well-known/jwks.json serves: the public half only. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** A token for the chat: `sub` is the host's user id, `name` what the chat shows. */
  issue(user: { id: string; name: string }, ttlSeconds = 3600): Promise<string> {
    return new SignJWT({ name: user.name })
      .setProtectedHeader({ alg: 'RS256', kid: this.publicJwk.kid })
      .setSubject(user.id)
      .setIssuer(HOST_ISSUER)
      .setAudience(CHAT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.privateKey);
  }
}
