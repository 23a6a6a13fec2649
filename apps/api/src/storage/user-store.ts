/** An account as stored. Guests are never stored: their identity lives only in their token. */
export interface StoredUser {
  id: string;
  username: string;
  /** Empty for a bot: a bot has no password and never signs in. */
  passwordHash: string;
  /** A bot account (see BotAccounts): created by the server, not by a person; cannot sign in. */
  bot: boolean;
  /**
   * Tokens carry the version they were issued under; one with an older version is refused.
   * Sign-out and password change bump it, which revokes every token issued before.
   */
  tokenVersion: number;
}

/** The port for accounts; kept in the same database as the messages. */
export interface UserStore {
  /** 'taken' when the username exists already, ignoring case. */
  create(user: Pick<StoredUser, 'id' | 'username' | 'passwordHash'>): Promise<'created' | 'taken'>;
  /**
   * Creates the bot account `username` unless an account of that name (ignoring case) exists
   * already; returns the stored bot, or 'taken' when the name belongs to a person's account.
   * Safe to call from several instances at once: one creates, the others read its row.
   */
  ensureBot(bot: Pick<StoredUser, 'id' | 'username'>): Promise<StoredUser | 'taken'>;
  /** Looks a username up ignoring case. */
  findByUsername(username: string): Promise<StoredUser | null>;
  /** The current token version of an account, or null when there is no such account. */
  tokenVersion(id: string): Promise<number | null>;
  /**
   * Bumps the token version (and, when given, sets a new password hash) in one write; returns
   * the new version, or null when there is no such account.
   */
  revokeTokens(id: string, newPasswordHash?: string): Promise<number | null>;
  /**
   * A host app's user (docs/embedding.md, "Your own users"), seen with a token: creates its row
   * (and its membership of general, like a registration) on first sight, keeps its name up to
   * date, and returns its revocation time. Such a row has no password and is never found by
   * username (its `username_key` is its id, which no username can be); its `tokenVersion` holds
   * the unix second before which its tokens are refused (0: none).
   */
  ensureExternal(user: Pick<StoredUser, 'id' | 'username' | 'bot'>): Promise<number>;
  /**
   * Refuses a host user's tokens issued before `beforeSeconds` (it never moves back); returns the
   * revocation time now in force, or null when the user was never seen.
   */
  revokeExternal(id: string, beforeSeconds: number): Promise<number | null>;
}

export const USER_STORE = Symbol('UserStore');
