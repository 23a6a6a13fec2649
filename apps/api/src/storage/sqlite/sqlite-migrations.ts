/**
 * Schema versions for SQLite, applied in order at start-up. Never edit a released step: add one.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE rooms (
     name       TEXT PRIMARY KEY,
     last_seq   INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL,
     created_by TEXT
   );
   INSERT INTO rooms (name, last_seq, created_at) VALUES ('general', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
   CREATE TABLE users (
     id            TEXT PRIMARY KEY,
     username      TEXT NOT NULL,
     username_key  TEXT NOT NULL UNIQUE,
     password_hash TEXT NOT NULL,
     created_at    TEXT NOT NULL
   );
   CREATE TABLE messages (
     id         TEXT PRIMARY KEY,
     room       TEXT NOT NULL REFERENCES rooms(name),
     seq        INTEGER NOT NULL,
     user_id    TEXT NOT NULL,
     user_name  TEXT NOT NULL,
     user_guest INTEGER NOT NULL,
     client_id  TEXT NOT NULL,
     text       TEXT NOT NULL,
     created_at TEXT NOT NULL,
     UNIQUE (room, seq),
     UNIQUE (user_id, client_id)
   );`,
  // 2: a token version per account (tokens of older versions are refused: sign-out and password
  // change revoke them). Existing accounts start at 0, which is what their tokens implicitly carry.
  `ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;`,
];
