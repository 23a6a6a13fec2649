/** An account as stored. Guests are never stored: their identity lives only in their token. */
export interface StoredUser {
  id: string;
  username: string;
  passwordHash: string;
  /**
   * Tokens carry the version they were issued under; one with an older version is refused.
   * Sign-out and password change bump it, which revokes every token issued before.
   */
  tokenVersion: number;
}

/** The port for accounts; kept in the same database as the messages. */
export interface UserStore {
  /** 'taken' when the username exists already, ignoring case. */
  create(user: Omit<StoredUser, 'tokenVersion'>): Promise<'created' | 'taken'>;
  /** Looks a username up ignoring case. */
  findByUsername(username: string): Promise<StoredUser | null>;
  /** The current token version of an account, or null when there is no such account. */
  tokenVersion(id: string): Promise<number | null>;
  /**
   * Bumps the token version (and, when given, sets a new password hash) in one write; returns
   * the new version, or null when there is no such account.
   */
  revokeTokens(id: string, newPasswordHash?: string): Promise<number | null>;
}

export const USER_STORE = Symbol('UserStore');
