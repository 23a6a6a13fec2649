/**
 * Schema versions for PostgreSQL, applied in order at start-up under an advisory lock (several
 * instances may start at once). Never edit a released step: add one.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE rooms (
     name       TEXT PRIMARY KEY,
     last_seq   BIGINT NOT NULL DEFAULT 0,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     created_by TEXT
   );
   INSERT INTO rooms (name) VALUES ('general');
   CREATE TABLE users (
     id            TEXT PRIMARY KEY,
     username      TEXT NOT NULL,
     username_key  TEXT NOT NULL UNIQUE,
     password_hash TEXT NOT NULL,
     created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
   );
   CREATE TABLE messages (
     id         UUID PRIMARY KEY,
     room       TEXT NOT NULL REFERENCES rooms(name),
     seq        BIGINT NOT NULL,
     user_id    TEXT NOT NULL,
     user_name  TEXT NOT NULL,
     user_guest BOOLEAN NOT NULL,
     client_id  TEXT NOT NULL,
     text       TEXT NOT NULL,
     created_at TEXT NOT NULL,
     UNIQUE (room, seq),
     UNIQUE (user_id, client_id)
   );
   -- Appends in one round trip. The room's seq is bumped under its row lock, so seqs follow
   -- commit order. A concurrent duplicate (same user and clientId) hits the unique index; the
   -- inner block's savepoint then undoes the bump, so no seq is ever skipped.
   CREATE FUNCTION chat_append(
     p_id UUID, p_room TEXT, p_user_id TEXT, p_user_name TEXT, p_user_guest BOOLEAN,
     p_client_id TEXT, p_text TEXT, p_created_at TEXT
   ) RETURNS TABLE (id UUID, seq BIGINT, created_at TEXT, duplicate BOOLEAN)
   LANGUAGE plpgsql AS $fn$
   DECLARE
     v_seq BIGINT;
   BEGIN
     RETURN QUERY SELECT m.id, m.seq, m.created_at, TRUE FROM messages m
       WHERE m.user_id = p_user_id AND m.client_id = p_client_id;
     IF FOUND THEN RETURN; END IF;
     BEGIN
       INSERT INTO rooms AS r (name, last_seq) VALUES (p_room, 1)
         ON CONFLICT (name) DO UPDATE SET last_seq = r.last_seq + 1
         RETURNING r.last_seq INTO v_seq;
       INSERT INTO messages (id, room, seq, user_id, user_name, user_guest, client_id, text, created_at)
         VALUES (p_id, p_room, v_seq, p_user_id, p_user_name, p_user_guest, p_client_id, p_text, p_created_at);
     EXCEPTION WHEN unique_violation THEN
       RETURN QUERY SELECT m.id, m.seq, m.created_at, TRUE FROM messages m
         WHERE m.user_id = p_user_id AND m.client_id = p_client_id;
       RETURN;
     END;
     RETURN QUERY SELECT p_id, v_seq, p_created_at, FALSE;
   END
   $fn$;
   -- Group commit: many appends, in the given order, in one transaction and one round trip.
   CREATE FUNCTION chat_append_many(p_drafts JSONB)
   RETURNS TABLE (ord INT, id UUID, seq BIGINT, created_at TEXT, duplicate BOOLEAN)
   LANGUAGE plpgsql AS $fn$
   DECLARE
     d JSONB;
     i INT := 0;
   BEGIN
     FOR d IN SELECT value FROM jsonb_array_elements(p_drafts) LOOP
       RETURN QUERY SELECT i, a.id, a.seq, a.created_at, a.duplicate FROM chat_append(
         (d->>'id')::UUID, d->>'room', d->>'userId', d->>'userName', (d->>'userGuest')::BOOLEAN,
         d->>'clientId', d->>'text', d->>'time') a;
       i := i + 1;
     END LOOP;
   END
   $fn$;`,
  // 2: chat_append without a savepoint. The inner BEGIN ... EXCEPTION block of version 1 opened a
  // subtransaction per message, so a group commit of 100 sends held 100 of them; past 64 per
  // transaction PostgreSQL's subtransaction cache overflows and every concurrent session pays
  // for lookups in pg_subtrans. Two instances appending to one room then ran at 1,300–1,450 sends/s
  // with PostgreSQL at 80 % CPU (docs/performance.md). A concurrent duplicate is now caught by
  // ON CONFLICT instead, and its seq given back under the room's row lock, which this
  // transaction still holds, so no seq is ever skipped.
  `CREATE OR REPLACE FUNCTION chat_append(
     p_id UUID, p_room TEXT, p_user_id TEXT, p_user_name TEXT, p_user_guest BOOLEAN,
     p_client_id TEXT, p_text TEXT, p_created_at TEXT
   ) RETURNS TABLE (id UUID, seq BIGINT, created_at TEXT, duplicate BOOLEAN)
   LANGUAGE plpgsql AS $fn$
   DECLARE
     v_seq BIGINT;
     v_inserted UUID;
   BEGIN
     RETURN QUERY SELECT m.id, m.seq, m.created_at, TRUE FROM messages m
       WHERE m.user_id = p_user_id AND m.client_id = p_client_id;
     IF FOUND THEN RETURN; END IF;
     INSERT INTO rooms AS r (name, last_seq) VALUES (p_room, 1)
       ON CONFLICT (name) DO UPDATE SET last_seq = r.last_seq + 1
       RETURNING r.last_seq INTO v_seq;
     INSERT INTO messages AS m (id, room, seq, user_id, user_name, user_guest, client_id, text, created_at)
       VALUES (p_id, p_room, v_seq, p_user_id, p_user_name, p_user_guest, p_client_id, p_text, p_created_at)
       ON CONFLICT (user_id, client_id) DO NOTHING
       RETURNING m.id INTO v_inserted;
     IF v_inserted IS NULL THEN
       -- Another transaction stored this (user, clientId) first: its message is the answer.
       UPDATE rooms SET last_seq = last_seq - 1 WHERE name = p_room;
       RETURN QUERY SELECT m.id, m.seq, m.created_at, TRUE FROM messages m
         WHERE m.user_id = p_user_id AND m.client_id = p_client_id;
       RETURN;
     END IF;
     RETURN QUERY SELECT p_id, v_seq, p_created_at, FALSE;
   END
   $fn$;`,
  // 3: a token version per account (tokens of older versions are refused: sign-out and password
  // change revoke them). Existing accounts start at 0, which is what their tokens implicitly carry.
  `ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;`,
  // 4: bot accounts (no password: password_hash is empty), and the sender's bot flag kept with
  // each message as its name and guest flag are. No bot existed before, so FALSE is true of every
  // existing row. chat_append gains p_user_bot (a new signature beside the old one, which now
  // appends as not a bot); chat_append_many keeps its signature and reads `userBot`, FALSE when
  // absent, so an instance still on the previous release keeps appending during a rolling upgrade.
  `ALTER TABLE users ADD COLUMN bot BOOLEAN NOT NULL DEFAULT FALSE;
   ALTER TABLE messages ADD COLUMN user_bot BOOLEAN NOT NULL DEFAULT FALSE;
   CREATE FUNCTION chat_append(
     p_id UUID, p_room TEXT, p_user_id TEXT, p_user_name TEXT, p_user_guest BOOLEAN, p_user_bot BOOLEAN,
     p_client_id TEXT, p_text TEXT, p_created_at TEXT
   ) RETURNS TABLE (id UUID, seq BIGINT, created_at TEXT, duplicate BOOLEAN)
   LANGUAGE plpgsql AS $fn$
   DECLARE
     v_seq BIGINT;
     v_inserted UUID;
   BEGIN
     RETURN QUERY SELECT m.id, m.seq, m.created_at, TRUE FROM messages m
       WHERE m.user_id = p_user_id AND m.client_id = p_client_id;
     IF FOUND THEN RETURN; END IF;
     INSERT INTO rooms AS r (name, last_seq) VALUES (p_room, 1)
       ON CONFLICT (name) DO UPDATE SET last_seq = r.last_seq + 1
       RETURNING r.last_seq INTO v_seq;
     INSERT INTO messages AS m (id, room, seq, user_id, user_name, user_guest, user_bot, client_id, text, created_at)
       VALUES (p_id, p_room, v_seq, p_user_id, p_user_name, p_user_guest, p_user_bot, p_client_id, p_text, p_created_at)
       ON CONFLICT (user_id, client_id) DO NOTHING
       RETURNING m.id INTO v_inserted;
     IF v_inserted IS NULL THEN
       -- Another transaction stored this (user, clientId) first: its message is the answer.
       UPDATE rooms SET last_seq = last_seq - 1 WHERE name = p_room;
       RETURN QUERY SELECT m.id, m.seq, m.created_at, TRUE FROM messages m
         WHERE m.user_id = p_user_id AND m.client_id = p_client_id;
       RETURN;
     END IF;
     RETURN QUERY SELECT p_id, v_seq, p_created_at, FALSE;
   END
   $fn$;
   CREATE OR REPLACE FUNCTION chat_append(
     p_id UUID, p_room TEXT, p_user_id TEXT, p_user_name TEXT, p_user_guest BOOLEAN,
     p_client_id TEXT, p_text TEXT, p_created_at TEXT
   ) RETURNS TABLE (id UUID, seq BIGINT, created_at TEXT, duplicate BOOLEAN)
   LANGUAGE sql AS $fn$
     SELECT * FROM chat_append(p_id, p_room, p_user_id, p_user_name, p_user_guest, FALSE,
       p_client_id, p_text, p_created_at)
   $fn$;
   CREATE OR REPLACE FUNCTION chat_append_many(p_drafts JSONB)
   RETURNS TABLE (ord INT, id UUID, seq BIGINT, created_at TEXT, duplicate BOOLEAN)
   LANGUAGE plpgsql AS $fn$
   DECLARE
     d JSONB;
     i INT := 0;
   BEGIN
     FOR d IN SELECT value FROM jsonb_array_elements(p_drafts) LOOP
       RETURN QUERY SELECT i, a.id, a.seq, a.created_at, a.duplicate FROM chat_append(
         (d->>'id')::UUID, d->>'room', d->>'userId', d->>'userName', (d->>'userGuest')::BOOLEAN,
         coalesce((d->>'userBot')::BOOLEAN, FALSE), d->>'clientId', d->>'text', d->>'time') a;
       i := i + 1;
     END LOOP;
   END
   $fn$;`,
  // 5: rooms that belong to people (see the SQLite step 4 for what is carried forward and why).
  `ALTER TABLE rooms ADD COLUMN kind TEXT NOT NULL DEFAULT 'public';
   ALTER TABLE rooms ADD COLUMN topic TEXT;
   ALTER TABLE rooms ADD COLUMN member_count INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE room_members (
     room        TEXT NOT NULL REFERENCES rooms(name),
     user_id     TEXT NOT NULL,
     user_name   TEXT NOT NULL,
     user_guest  BOOLEAN NOT NULL DEFAULT FALSE,
     user_bot    BOOLEAN NOT NULL DEFAULT FALSE,
     role        TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'moderator', 'member')),
     muted_until TEXT,
     read_seq    BIGINT NOT NULL DEFAULT 0,
     joined_at   TEXT NOT NULL,
     PRIMARY KEY (room, user_id)
   );
   CREATE INDEX room_members_by_user ON room_members (user_id, room);
   CREATE TABLE room_bans (
     room       TEXT NOT NULL REFERENCES rooms(name),
     user_id    TEXT NOT NULL,
     banned_by  TEXT,
     created_at TEXT NOT NULL,
     PRIMARY KEY (room, user_id)
   );
   CREATE TABLE direct_rooms (
     user_low  TEXT NOT NULL,
     user_high TEXT NOT NULL,
     room      TEXT NOT NULL UNIQUE REFERENCES rooms(name),
     PRIMARY KEY (user_low, user_high)
   );
   INSERT INTO room_members (room, user_id, user_name, user_bot, read_seq, joined_at)
     SELECT 'general', u.id, u.username, u.bot, r.last_seq,
            to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
     FROM users u JOIN rooms r ON r.name = 'general';
   INSERT INTO room_members (room, user_id, user_name, user_bot, read_seq, joined_at)
     SELECT DISTINCT m.room, u.id, u.username, u.bot, r.last_seq,
            to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
     FROM messages m JOIN users u ON u.id = m.user_id JOIN rooms r ON r.name = m.room
     ON CONFLICT DO NOTHING;
   INSERT INTO room_members (room, user_id, user_name, user_bot, read_seq, joined_at)
     SELECT r.name, u.id, u.username, u.bot, r.last_seq,
            to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
     FROM rooms r JOIN users u ON u.id = r.created_by
     ON CONFLICT DO NOTHING;
   UPDATE room_members SET role = 'owner'
     FROM rooms r WHERE r.name = room_members.room AND r.created_by = room_members.user_id;
   UPDATE room_members SET role = 'owner'
     WHERE room = 'general'
       AND user_id = (SELECT id FROM users WHERE NOT bot ORDER BY created_at, id LIMIT 1);
   UPDATE rooms SET member_count = (SELECT count(*) FROM room_members m WHERE m.room = rooms.name);`,
  // 6: messages that change (see the SQLite step 5). Message ids stay UUIDs: a reference to one
  // that is not a UUID is refused before it reaches a query.
  `ALTER TABLE messages ADD COLUMN edited_at TEXT;
   ALTER TABLE messages ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT FALSE;
   ALTER TABLE messages ADD COLUMN reply_to UUID;
   ALTER TABLE messages ADD COLUMN thread_id UUID;
   ALTER TABLE messages ADD COLUMN reply_count INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE messages ADD COLUMN last_reply_at TEXT;
   ALTER TABLE messages ADD COLUMN mentions JSONB;
   CREATE INDEX messages_by_thread ON messages (thread_id, seq) WHERE thread_id IS NOT NULL;
   CREATE TABLE room_events (
     room        TEXT NOT NULL REFERENCES rooms(name),
     seq         BIGINT NOT NULL,
     type        TEXT NOT NULL,
     message_id  UUID,
     message_seq BIGINT,
     user_id     TEXT NOT NULL,
     client_id   TEXT,
     data        JSONB NOT NULL,
     created_at  TEXT NOT NULL,
     PRIMARY KEY (room, seq)
   );
   CREATE UNIQUE INDEX room_events_by_client ON room_events (user_id, client_id) WHERE client_id IS NOT NULL;
   CREATE TABLE reactions (
     message_id UUID NOT NULL,
     emoji      TEXT NOT NULL,
     user_id    TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (message_id, emoji, user_id)
   );
   CREATE TABLE message_mentions (
     user_id TEXT NOT NULL,
     room    TEXT NOT NULL,
     seq     BIGINT NOT NULL,
     PRIMARY KEY (user_id, room, seq)
   );`,
];
