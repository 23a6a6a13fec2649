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
  // 7: one append for every entry of a room's log, in one round trip per batch and in call order:
  // messages (now with reply, thread and mentions) and changes (edit, delete, react, member), each
  // taking the room's next seq under its row lock. (user, clientId) is one key across messages
  // and room_events: a repeat answers with the stored entry, a reuse for the other kind is
  // refused. A concurrent duplicate on another instance hits a unique index and fails the batch,
  // which the store then retries entry by entry (the retry finds the stored one). chat_append_many
  // stays for instances still on the previous release.
  `CREATE FUNCTION chat_log_append(p_ops JSONB)
   RETURNS TABLE (ord INT, status TEXT, id UUID, seq BIGINT, created_at TEXT, room TEXT, data JSONB)
   LANGUAGE plpgsql AS $fn$
   DECLARE
     d JSONB;
     i INT := 0;
     v_id UUID;
     v_seq BIGINT;
     v_room TEXT;
     v_created TEXT;
     v_type TEXT;
     v_data JSONB;
     v_count INT;
     v_target_seq BIGINT;
     v_deleted BOOLEAN;
     v_user TEXT;
   BEGIN
     FOR d IN SELECT value FROM jsonb_array_elements(p_ops) LOOP
       v_user := coalesce(d->>'actorId', d->>'userId');
       IF d->>'op' <> 'member' THEN
         SELECT m.id, m.seq, m.created_at, m.room INTO v_id, v_seq, v_created, v_room FROM messages m
           WHERE m.user_id = d->>'userId' AND m.client_id = d->>'clientId';
         IF FOUND THEN
           IF d->>'op' = 'message' THEN
             RETURN QUERY SELECT i, 'duplicate'::TEXT, v_id, v_seq, v_created, v_room, NULL::JSONB;
           ELSE
             RETURN QUERY SELECT i, 'client_id_used'::TEXT, NULL::UUID, NULL::BIGINT, NULL::TEXT, v_room, NULL::JSONB;
           END IF;
           i := i + 1;
           CONTINUE;
         END IF;
         SELECT e.seq, e.created_at, e.room, e.type, e.data INTO v_seq, v_created, v_room, v_type, v_data
           FROM room_events e WHERE e.user_id = d->>'userId' AND e.client_id = d->>'clientId';
         IF FOUND THEN
           IF d->>'op' = 'message' THEN
             RETURN QUERY SELECT i, 'reused'::TEXT, NULL::UUID, NULL::BIGINT, NULL::TEXT, v_room, NULL::JSONB;
           ELSE
             RETURN QUERY SELECT i, 'duplicate'::TEXT, NULL::UUID, v_seq, v_created, v_room,
               jsonb_build_object('event', v_type, 'data', v_data);
           END IF;
           i := i + 1;
           CONTINUE;
         END IF;
       END IF;
       IF d->>'op' = 'message' THEN
         INSERT INTO rooms AS r (name, last_seq) VALUES (d->>'room', 1)
           ON CONFLICT (name) DO UPDATE SET last_seq = r.last_seq + 1
           RETURNING r.last_seq INTO v_seq;
         INSERT INTO messages AS m (id, room, seq, user_id, user_name, user_guest, user_bot, client_id, text,
             created_at, reply_to, thread_id, mentions)
           VALUES ((d->>'id')::UUID, d->>'room', v_seq, d->>'userId', d->>'userName', (d->>'userGuest')::BOOLEAN,
             (d->>'userBot')::BOOLEAN, d->>'clientId', d->>'text', d->>'time', (d->>'replyTo')::UUID,
             (d->>'threadId')::UUID, CASE WHEN jsonb_typeof(d->'mentions') = 'array' THEN d->'mentions' END)
           ON CONFLICT (user_id, client_id) DO NOTHING
           RETURNING m.id INTO v_id;
         IF v_id IS NULL THEN
           -- Another transaction stored this (user, clientId) first: its message is the answer.
           UPDATE rooms r SET last_seq = r.last_seq - 1 WHERE r.name = d->>'room';
           RETURN QUERY SELECT i, 'duplicate'::TEXT, m.id, m.seq, m.created_at, m.room, NULL::JSONB FROM messages m
             WHERE m.user_id = d->>'userId' AND m.client_id = d->>'clientId';
           i := i + 1;
           CONTINUE;
         END IF;
         v_count := NULL;
         IF d->>'threadId' IS NOT NULL THEN
           UPDATE messages m SET reply_count = m.reply_count + 1, last_reply_at = d->>'time'
             WHERE m.id = (d->>'threadId')::UUID RETURNING m.reply_count INTO v_count;
           UPDATE messages m SET reply_count = coalesce(v_count, 1), last_reply_at = d->>'time' WHERE m.id = v_id;
         END IF;
         IF jsonb_typeof(d->'mentions') = 'array' THEN
           INSERT INTO message_mentions (user_id, room, seq)
             SELECT value, d->>'room', v_seq FROM jsonb_array_elements_text(d->'mentions')
             ON CONFLICT DO NOTHING;
         END IF;
         v_data := NULL;
         IF d->>'replyTo' IS NOT NULL THEN
           SELECT jsonb_build_object('userId', o.user_id, 'userName', o.user_name, 'userGuest', o.user_guest,
               'userBot', o.user_bot, 'text', left(o.text, 200), 'deleted', o.deleted)
             INTO v_data FROM messages o WHERE o.id = (d->>'replyTo')::UUID;
         END IF;
         RETURN QUERY SELECT i, 'stored'::TEXT, v_id, v_seq, d->>'time', d->>'room',
           CASE WHEN v_count IS NOT NULL OR v_data IS NOT NULL
             THEN jsonb_build_object('replyCount', v_count, 'replyTo', v_data) END;
       ELSE
         IF d->>'op' = 'change' THEN
           -- The room's row first, as a message's append takes it (then its thread root's row):
           -- every write to a room's messages holds it, so the target cannot change under us, and
           -- one lock order means a change and a thread reply to the same root never deadlock.
           PERFORM 1 FROM rooms r WHERE r.name = d->>'room' FOR UPDATE;
           SELECT m.seq, m.deleted INTO v_target_seq, v_deleted FROM messages m
             WHERE m.id = (d->>'id')::UUID AND m.room = d->>'room';
           IF NOT FOUND THEN
             RETURN QUERY SELECT i, 'not_found'::TEXT, NULL::UUID, NULL::BIGINT, NULL::TEXT, NULL::TEXT, NULL::JSONB;
             i := i + 1;
             CONTINUE;
           END IF;
           IF v_deleted THEN
             RETURN QUERY SELECT i, 'deleted'::TEXT, NULL::UUID, NULL::BIGINT, NULL::TEXT, NULL::TEXT, NULL::JSONB;
             i := i + 1;
             CONTINUE;
           END IF;
         ELSE
           v_target_seq := NULL;
         END IF;
         BEGIN
           INSERT INTO rooms AS r (name, last_seq) VALUES (d->>'room', 1)
             ON CONFLICT (name) DO UPDATE SET last_seq = r.last_seq + 1
             RETURNING r.last_seq INTO v_seq;
           v_data := d->'data' || jsonb_build_object('seq', v_seq);
           IF d->>'type' = 'edit' THEN
             UPDATE messages m SET text = d->>'text', edited_at = d->>'time' WHERE m.id = (d->>'id')::UUID;
           ELSIF d->>'type' = 'delete' THEN
             UPDATE messages m SET text = '', deleted = TRUE WHERE m.id = (d->>'id')::UUID;
             DELETE FROM reactions x WHERE x.message_id = (d->>'id')::UUID;
           ELSIF d->>'type' = 'react' THEN
             IF (d->>'on')::BOOLEAN THEN
               INSERT INTO reactions (message_id, emoji, user_id, created_at)
                 VALUES ((d->>'id')::UUID, d->>'emoji', d->>'userId', d->>'time') ON CONFLICT DO NOTHING;
             ELSE
               DELETE FROM reactions x
                 WHERE x.message_id = (d->>'id')::UUID AND x.emoji = d->>'emoji' AND x.user_id = d->>'userId';
             END IF;
             SELECT count(*) INTO v_count FROM reactions x WHERE x.message_id = (d->>'id')::UUID AND x.emoji = d->>'emoji';
             v_data := v_data || jsonb_build_object('count', v_count);
           END IF;
           INSERT INTO room_events (room, seq, type, message_id, message_seq, user_id, client_id, data, created_at)
             VALUES (d->>'room', v_seq, d->>'event', (d->>'id')::UUID, v_target_seq, v_user, d->>'clientId',
               v_data, d->>'time');
         EXCEPTION WHEN unique_violation THEN
           -- The same (user, clientId) committed on another instance meanwhile: that change is the answer.
           SELECT e.seq, e.created_at, e.room, e.type, e.data INTO v_seq, v_created, v_room, v_type, v_data
             FROM room_events e WHERE e.user_id = d->>'userId' AND e.client_id = d->>'clientId';
           RETURN QUERY SELECT i, 'duplicate'::TEXT, NULL::UUID, v_seq, v_created, v_room,
             jsonb_build_object('event', v_type, 'data', v_data);
           i := i + 1;
           CONTINUE;
         END;
         RETURN QUERY SELECT i, 'applied'::TEXT, NULL::UUID, v_seq, d->>'time', d->>'room',
           jsonb_build_object('event', d->>'event', 'data', v_data);
       END IF;
       i := i + 1;
     END LOOP;
   END
   $fn$;`,
  // 8: a room's members by name (see the SQLite step 6: members pages and @mention lookups read
  // only the rows they return, not every member of general).
  `CREATE INDEX room_members_by_name ON room_members (room, user_name COLLATE "C", user_id COLLATE "C");
   CREATE INDEX room_members_by_lower_name ON room_members (room, lower(user_name));`,
  // 9 (branch services): services (see the SQLite step 7): API keys, HTTP idempotency
  // fingerprints, webhook endpoints, per-endpoint-and-room delivery cursors, dead letters.
  `CREATE TABLE api_keys (
     id          TEXT PRIMARY KEY,
     name        TEXT NOT NULL UNIQUE,
     key_hash    TEXT NOT NULL UNIQUE,
     key_hint    TEXT NOT NULL,
     scopes      TEXT NOT NULL,
     bot_user_id TEXT NOT NULL,
     bot_name    TEXT NOT NULL,
     created_at  TEXT NOT NULL,
     revoked_at  TEXT
   );
   CREATE TABLE http_idempotency (
     user_id     TEXT NOT NULL,
     key         TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     created_at  TEXT NOT NULL,
     PRIMARY KEY (user_id, key)
   );
   CREATE TABLE webhook_endpoints (
     id         TEXT PRIMARY KEY,
     url        TEXT NOT NULL,
     secret     TEXT NOT NULL,
     events     TEXT NOT NULL,
     enabled    BOOLEAN NOT NULL DEFAULT TRUE,
     created_at TEXT NOT NULL
   );
   CREATE TABLE webhook_cursors (
     endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
     room            TEXT NOT NULL,
     seq             BIGINT NOT NULL,
     attempts        INTEGER NOT NULL DEFAULT 0,
     next_attempt_at BIGINT NOT NULL DEFAULT 0,
     lease_owner     TEXT,
     lease_until     BIGINT NOT NULL DEFAULT 0,
     pending_seq     BIGINT,
     pending_body    TEXT,
     last_error      TEXT,
     PRIMARY KEY (endpoint_id, room)
   );
   CREATE TABLE webhook_dead_letters (
     id              TEXT PRIMARY KEY,
     endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
     room            TEXT NOT NULL,
     seq             BIGINT NOT NULL,
     webhook_id      TEXT NOT NULL,
     type            TEXT NOT NULL,
     body            TEXT NOT NULL,
     attempts        INTEGER NOT NULL,
     last_error      TEXT NOT NULL,
     state           TEXT NOT NULL DEFAULT 'dead' CHECK (state IN ('dead', 'retrying')),
     next_attempt_at BIGINT NOT NULL DEFAULT 0,
     lease_owner     TEXT,
     lease_until     BIGINT NOT NULL DEFAULT 0,
     created_at      TEXT NOT NULL
   );`,
  // 10 (branch files): uploads (file attachments), as the SQLite step 8 says: a send takes
  // an upload by writing its clientId, and (owner_id, client_id) names the message.
  `CREATE TABLE uploads (
     id         UUID PRIMARY KEY,
     owner_id   TEXT NOT NULL,
     name       TEXT NOT NULL,
     size       BIGINT NOT NULL,
     type       TEXT NOT NULL,
     width      INTEGER,
     height     INTEGER,
     thumbnail  BOOLEAN NOT NULL DEFAULT FALSE,
     created_at TEXT NOT NULL,
     client_id  TEXT,
     position   INTEGER
   );
   CREATE INDEX uploads_by_message ON uploads (owner_id, client_id) WHERE client_id IS NOT NULL;
   CREATE INDEX uploads_by_created ON uploads (created_at);`,
  // 11 (branch search): full-text search. Each message's words as a tsvector in message_search,
  // beside messages rather than a column of it (the readers select m.*: a column would carry
  // every vector along with every page), with a GIN index; its room, sender, seq and time are
  // copied (they never change) so that a search picks and orders its matches without reading
  // the messages. A trigger keeps it in step in the writing transaction: a new message is
  // indexed, an edit replaces its words, a tombstone's empty text leaves none (a deleted row
  // takes its entry along). Existing messages
  // are indexed here. 'simple' lowercases without stemming or stop words: it knows no language,
  // so a search finds the words as written, in any language. Every run of characters that are
  // not letters or digits becomes a space first: the text parser would otherwise keep e-mail
  // addresses, URLs and version numbers whole (`user@example.com` one token), where SQLite's
  // tokenizer and the query reader split them into words; this way both stores find the same.
  // A stored vector, not an expression index: a phrase is checked against the positions of the
  // vector, which an expression index would recompute for every candidate row (2.9 s for a
  // phrase of two common words in 200,000 messages, docs/performance.md).
  `CREATE FUNCTION chat_search_vector(p_text TEXT) RETURNS tsvector
   LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
   $fn$ SELECT to_tsvector('simple', regexp_replace(p_text, '[^[:alnum:]]+', ' ', 'g')) $fn$;
   CREATE TABLE message_search (
     id         UUID PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
     room       TEXT NOT NULL,
     seq        BIGINT NOT NULL,
     user_id    TEXT NOT NULL,
     created_at TEXT NOT NULL,
     vector     tsvector NOT NULL
   );
   INSERT INTO message_search (id, room, seq, user_id, created_at, vector)
     SELECT id, room, seq, user_id, created_at, chat_search_vector(text) FROM messages;
   CREATE INDEX message_search_vector ON message_search USING GIN (vector);
   CREATE FUNCTION chat_search_sync() RETURNS trigger LANGUAGE plpgsql AS $fn$
   BEGIN
     INSERT INTO message_search (id, room, seq, user_id, created_at, vector)
       VALUES (NEW.id, NEW.room, NEW.seq, NEW.user_id, NEW.created_at, chat_search_vector(NEW.text))
       ON CONFLICT (id) DO UPDATE SET vector = EXCLUDED.vector, created_at = EXCLUDED.created_at;
     RETURN NEW;
   END
   $fn$;
   CREATE TRIGGER message_search_sync AFTER INSERT OR UPDATE OF text, created_at ON messages
     FOR EACH ROW EXECUTE FUNCTION chat_search_sync();`,
  // 12 (branch idem-scope): HTTP Idempotency-Keys bound only by requests that succeeded (see the
  // SQLite step 10): pending with a count of holders, then stored or swallowed; the bindings of
  // failed requests made before are forgotten.
  `ALTER TABLE http_idempotency
     ADD COLUMN state TEXT NOT NULL DEFAULT 'stored',
     ADD COLUMN holders INTEGER NOT NULL DEFAULT 0,
     ADD COLUMN claimed_at TEXT,
     ADD COLUMN replies TEXT;
   UPDATE http_idempotency SET claimed_at = created_at;
   DELETE FROM http_idempotency h
     WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.user_id = h.user_id AND m.client_id = h.key);`,
  // 13 (branch upload-races): uploads are bound to their message's room, and removed without
  // racing a send, as the SQLite step 11 says (room, taken_at, removing).
  `ALTER TABLE uploads ADD COLUMN room TEXT;
   ALTER TABLE uploads ADD COLUMN taken_at TEXT;
   ALTER TABLE uploads ADD COLUMN removing BOOLEAN NOT NULL DEFAULT FALSE;
   UPDATE uploads u SET taken_at = u.created_at, room = (SELECT m.room FROM messages m
     WHERE m.user_id = u.owner_id AND m.client_id = u.client_id)
   WHERE u.client_id IS NOT NULL;`,
  // 14 (branch idem-inflight): one request holds an Idempotency-Key at a time (hold_id), and
  // bindings are pruned, as the SQLite step 13 says.
  `ALTER TABLE http_idempotency ADD COLUMN hold_id TEXT;
   UPDATE http_idempotency SET hold_id = 'held before the upgrade' WHERE state = 'pending' AND holders > 0;
   ALTER TABLE http_idempotency DROP COLUMN holders;
   CREATE INDEX http_idempotency_prune ON http_idempotency (state, claimed_at);`,
];
