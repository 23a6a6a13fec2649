/**
 * What a host app's token says, in the chat's terms (docs/embedding.md, "Your own users", has
 * the claim mapping).
 */
export interface ExternalIdentity {
  /** The host's `sub`; the chat's user id is `host:<sub>`, so it never meets the chat's own ids. */
  subject: string;
  /** `name`, else `preferred_username`: the display name. */
  name: string;
  /** `roles`: kept on the session; nothing in the chat grants anything by them (yet). */
  roles: readonly string[];
  /** `guest: true`: a guest of the host, never stored (like the chat's own guests). */
  guest: boolean;
  /** `bot: true`: shown as a bot. */
  bot: boolean;
  /** `iat` in seconds (0 when absent): a revocation refuses tokens issued before it. */
  issuedAt: number;
}

/**
 * Checks a token the chat did not issue. Resolves with who it names, or rejects with an
 * UnauthorizedError that says what is wrong (expired, wrong audience...). The chat's own comes
 * from the AUTH_* variables (JoseTokenVerifier); an embedder may pass another to
 * `ChatModule.forRoot({identity})`.
 */
export interface ExternalTokenVerifier {
  verify(token: string): Promise<ExternalIdentity>;
}

/** Nest injection token for the {@link ExternalTokenVerifier} given by the embedder. */
export const GIVEN_TOKEN_VERIFIER = Symbol('GivenTokenVerifier');

/** Nest injection token for the verifier in use (the given one, the configured one, or null: none). */
export const EXTERNAL_TOKEN_VERIFIER = Symbol('ExternalTokenVerifier');
