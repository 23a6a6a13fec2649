/** An account as stored. Guests are never stored: their identity lives only in their token. */
export interface StoredUser {
  id: string;
  username: string;
  passwordHash: string;
}

/** The port for accounts; kept in the same database as the messages. */
export interface UserStore {
  /** 'taken' when the username exists already, ignoring case. */
  create(user: StoredUser): Promise<'created' | 'taken'>;
  /** Looks a username up ignoring case. */
  findByUsername(username: string): Promise<StoredUser | null>;
}

export const USER_STORE = Symbol('UserStore');
