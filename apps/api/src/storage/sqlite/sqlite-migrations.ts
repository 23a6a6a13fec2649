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
  // 3: bot accounts (no password: password_hash is empty), and the sender's bot flag kept with
  // each message as its name and guest flag are. No bot existed before, so 0 is true of every
  // existing row.
  `ALTER TABLE users ADD COLUMN bot INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE messages ADD COLUMN user_bot INTEGER NOT NULL DEFAULT 0;`,
  // 4: rooms that belong to people. A room has a kind (existing rooms stay public) and a topic;
  // membership, roles, mutes and read markers are rows of room_members, bans of room_bans, and a
  // DM is the one room of a pair of users (direct_rooms, user ids in sorted order). Carried
  // forward: every account is a member of general, whoever posted in a room or created it is a
  // member of it, its creator its owner, the first person's account the owner of general; read
  // markers start at each room's newest seq, so that nothing old turns unread.
  `ALTER TABLE rooms ADD COLUMN kind TEXT NOT NULL DEFAULT 'public';
   ALTER TABLE rooms ADD COLUMN topic TEXT;
   ALTER TABLE rooms ADD COLUMN member_count INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE room_members (
     room        TEXT NOT NULL REFERENCES rooms(name),
     user_id     TEXT NOT NULL,
     user_name   TEXT NOT NULL,
     user_guest  INTEGER NOT NULL DEFAULT 0,
     user_bot    INTEGER NOT NULL DEFAULT 0,
     role        TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'moderator', 'member')),
     muted_until TEXT,
     read_seq    INTEGER NOT NULL DEFAULT 0,
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
     SELECT 'general', u.id, u.username, u.bot, r.last_seq, u.created_at
     FROM users u JOIN rooms r ON r.name = 'general';
   INSERT OR IGNORE INTO room_members (room, user_id, user_name, user_bot, read_seq, joined_at)
     SELECT DISTINCT m.room, u.id, u.username, u.bot, r.last_seq, u.created_at
     FROM messages m JOIN users u ON u.id = m.user_id JOIN rooms r ON r.name = m.room;
   INSERT OR IGNORE INTO room_members (room, user_id, user_name, user_bot, read_seq, joined_at)
     SELECT r.name, u.id, u.username, u.bot, r.last_seq, r.created_at
     FROM rooms r JOIN users u ON u.id = r.created_by;
   UPDATE room_members SET role = 'owner'
     WHERE EXISTS (SELECT 1 FROM rooms r WHERE r.name = room_members.room AND r.created_by = room_members.user_id);
   UPDATE room_members SET role = 'owner'
     WHERE room = 'general'
       AND user_id = (SELECT id FROM users WHERE bot = 0 ORDER BY created_at, id LIMIT 1);
   UPDATE rooms SET member_count = (SELECT count(*) FROM room_members m WHERE m.room = rooms.name);`,
  // 5: messages that change. Edits, deletes, reactions and membership changes are events of the
  // room's log (room_events) with seqs from the same counter as messages; a message row keeps
  // its latest state (edited text, tombstone, reply and thread links, its thread's summary, the
  // members it mentions). reactions holds who put which emoji where; message_mentions what
  // mentions whom, for unread-mention counts.
  `ALTER TABLE messages ADD COLUMN edited_at TEXT;
   ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE messages ADD COLUMN reply_to TEXT;
   ALTER TABLE messages ADD COLUMN thread_id TEXT;
   ALTER TABLE messages ADD COLUMN reply_count INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE messages ADD COLUMN last_reply_at TEXT;
   ALTER TABLE messages ADD COLUMN mentions TEXT;
   CREATE INDEX messages_by_thread ON messages (thread_id, seq) WHERE thread_id IS NOT NULL;
   CREATE TABLE room_events (
     room        TEXT NOT NULL REFERENCES rooms(name),
     seq         INTEGER NOT NULL,
     type        TEXT NOT NULL,
     message_id  TEXT,
     message_seq INTEGER,
     user_id     TEXT NOT NULL,
     client_id   TEXT,
     data        TEXT NOT NULL,
     created_at  TEXT NOT NULL,
     PRIMARY KEY (room, seq)
   );
   CREATE UNIQUE INDEX room_events_by_client ON room_events (user_id, client_id) WHERE client_id IS NOT NULL;
   CREATE TABLE reactions (
     message_id TEXT NOT NULL,
     emoji      TEXT NOT NULL,
     user_id    TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (message_id, emoji, user_id)
   );
   CREATE TABLE message_mentions (
     user_id TEXT NOT NULL,
     room    TEXT NOT NULL,
     seq     INTEGER NOT NULL,
     PRIMARY KEY (user_id, room, seq)
   );`,
  // 6: a room's members by name. Without these, listing a page of members sorted all of the room's
  // members, and resolving the @mentions of one message read all of them (general has every
  // account): both now read only the rows they return.
  `CREATE INDEX room_members_by_name ON room_members (room, user_name, user_id);
   CREATE INDEX room_members_by_lower_name ON room_members (room, lower(user_name));`,
  // 7 (branch services): services. API keys (stored as the SHA-256 of the key, see
  // api-keys/api-key-secret.ts), the body fingerprint behind each HTTP Idempotency-Key, webhook
  // endpoints, a delivery cursor per endpoint and room (the room log is the outbox: see
  // webhooks/webhook-dispatcher.ts), and the dead letters. Times the dispatcher compares are epoch
  // milliseconds, so both engines do the same arithmetic.
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
     enabled    INTEGER NOT NULL DEFAULT 1,
     created_at TEXT NOT NULL
   );
   CREATE TABLE webhook_cursors (
     endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
     room            TEXT NOT NULL,
     seq             INTEGER NOT NULL,
     attempts        INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL DEFAULT 0,
     lease_owner     TEXT,
     lease_until     INTEGER NOT NULL DEFAULT 0,
     pending_seq     INTEGER,
     pending_body    TEXT,
     last_error      TEXT,
     PRIMARY KEY (endpoint_id, room)
   );
   CREATE TABLE webhook_dead_letters (
     id              TEXT PRIMARY KEY,
     endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
     room            TEXT NOT NULL,
     seq             INTEGER NOT NULL,
     webhook_id      TEXT NOT NULL,
     type            TEXT NOT NULL,
     body            TEXT NOT NULL,
     attempts        INTEGER NOT NULL,
     last_error      TEXT NOT NULL,
     state           TEXT NOT NULL DEFAULT 'dead' CHECK (state IN ('dead', 'retrying')),
     next_attempt_at INTEGER NOT NULL DEFAULT 0,
     lease_owner     TEXT,
     lease_until     INTEGER NOT NULL DEFAULT 0,
     created_at      TEXT NOT NULL
   );`,
  // 8 (branch files): uploads (file attachments). One row per uploaded file; the file itself (and its
  // thumbnail) lives in the attachment storage under the row's id. A send takes an upload by
  // writing its clientId here before the message is appended: (owner_id, client_id) is the
  // message's own unique key, so the upload is bound to exactly one message, a replay of that send
  // finds it taken by itself, and the message's readers find it by that key.
  `CREATE TABLE uploads (
     id         TEXT PRIMARY KEY,
     owner_id   TEXT NOT NULL,
     name       TEXT NOT NULL,
     size       INTEGER NOT NULL,
     type       TEXT NOT NULL,
     width      INTEGER,
     height     INTEGER,
     thumbnail  INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL,
     client_id  TEXT,
     position   INTEGER
   );
   CREATE INDEX uploads_by_message ON uploads (owner_id, client_id) WHERE client_id IS NOT NULL;
   CREATE INDEX uploads_by_created ON uploads (created_at);`,
  // 9 (branch search): full-text search. A contentless FTS5 table (the text lives in messages
  // only) keyed by message_search_docs.doc, an INTEGER PRIMARY KEY per message: messages has no
  // integer key of its own, and its implicit rowid may change on VACUUM, which would point the
  // index at other messages. Triggers keep the index in step in the writing transaction: a new
  // message is indexed, an edit replaces its words, a delete (tombstone) removes them. Existing
  // messages are indexed here. unicode61 folds case but keeps accents, as PostgreSQL's 'simple'
  // configuration does, so both stores find the same messages. (contentless_delete needs SQLite
  // 3.43 or later; better-sqlite3 brings its own.)
  `CREATE TABLE message_search_docs (
     doc        INTEGER PRIMARY KEY,
     message_id TEXT NOT NULL UNIQUE
   );
   CREATE VIRTUAL TABLE message_search USING fts5(
     text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
   );
   INSERT INTO message_search_docs (message_id) SELECT id FROM messages ORDER BY created_at, id;
   INSERT INTO message_search (rowid, text)
     SELECT d.doc, m.text FROM message_search_docs d JOIN messages m ON m.id = d.message_id WHERE m.deleted = 0;
   CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
     INSERT INTO message_search_docs (message_id) VALUES (new.id);
     INSERT INTO message_search (rowid, text)
       SELECT doc, new.text FROM message_search_docs WHERE message_id = new.id AND new.deleted = 0;
   END;
   CREATE TRIGGER message_search_update AFTER UPDATE OF text, deleted ON messages BEGIN
     DELETE FROM message_search WHERE rowid = (SELECT doc FROM message_search_docs WHERE message_id = old.id);
     INSERT INTO message_search (rowid, text)
       SELECT doc, new.text FROM message_search_docs WHERE message_id = new.id AND new.deleted = 0;
   END;
   CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
     DELETE FROM message_search WHERE rowid = (SELECT doc FROM message_search_docs WHERE message_id = old.id);
     DELETE FROM message_search_docs WHERE message_id = old.id;
   END;`,
  // 10 (branch idem-scope): an HTTP Idempotency-Key is bound only by a request that succeeded
  // (see storage/idempotency-store.ts): a binding is pending while `holders` requests with its
  // body run, then stored or swallowed (a command's `replies`, answered again to a replay).
  // Bindings made before were all kept, failures included: those with no message under their
  // key (a failed request, or a command) are forgotten here, so their keys work again; the rest
  // are stored.
  `ALTER TABLE http_idempotency ADD COLUMN state TEXT NOT NULL DEFAULT 'stored';
   ALTER TABLE http_idempotency ADD COLUMN holders INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE http_idempotency ADD COLUMN claimed_at TEXT;
   ALTER TABLE http_idempotency ADD COLUMN replies TEXT;
   UPDATE http_idempotency SET claimed_at = created_at;
   DELETE FROM http_idempotency
     WHERE NOT EXISTS (
       SELECT 1 FROM messages m WHERE m.user_id = http_idempotency.user_id AND m.client_id = http_idempotency.key
     );`,
  // 11 (branch upload-races): uploads are bound to their message's room, and removed without
  // racing a send. room: the room of the send that took the upload; readers join it to the
  // message by (owner_id, client_id) and room, so that a clientId reused in two rooms never puts a
  // file on the other room's message. taken_at: when it was taken, so that the sweeper leaves the
  // files of a send still in flight alone. removing: the sweeper claimed it (no send can take it
  // any more) and is deleting its bytes. Existing takes get their message's room.
  `ALTER TABLE uploads ADD COLUMN room TEXT;
   ALTER TABLE uploads ADD COLUMN taken_at TEXT;
   ALTER TABLE uploads ADD COLUMN removing INTEGER NOT NULL DEFAULT 0;
   UPDATE uploads SET taken_at = created_at, room = (SELECT m.room FROM messages m
     WHERE m.user_id = uploads.owner_id AND m.client_id = uploads.client_id)
   WHERE client_id IS NOT NULL;`,
  // 12 (branch search-later): the FTS5 insert leaves the send path. It was half of a send's cost
  // (83 against 50 µs per message in transactions of 20), so a send now only adds its
  // message_search_docs row, in its own transaction: that table is the durable, ordered queue of
  // what is to be indexed, and SqliteSearchIndexer indexes every doc above
  // message_search_state.upto in one transaction of its own, shortly after and before each search.
  // Migration 9 indexed every existing message, hence upto starts at the highest doc. Edits and
  // deletes touch the index only for docs at or below upto: one above it is indexed later with its
  // text of then, or not at all if deleted. A new doc is numbered above both the highest doc and
  // upto: SQLite's own choice (highest rowid + 1) reuses the number of a deleted newest row, and
  // a reused number at or below upto would never be indexed. (Not AUTOINCREMENT: rebuilding the
  // table would leave its old pages free in the file, where a full disk could no longer be seen.)
  `CREATE TABLE message_search_state (
     id   INTEGER PRIMARY KEY CHECK (id = 1),
     upto INTEGER NOT NULL
   );
   INSERT INTO message_search_state (id, upto) SELECT 1, coalesce(max(doc), 0) FROM message_search_docs;
   DROP TRIGGER message_search_insert;
   DROP TRIGGER message_search_update;
   DROP TRIGGER message_search_delete;
   CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
     INSERT INTO message_search_docs (doc, message_id)
       SELECT max(coalesce((SELECT max(doc) FROM message_search_docs), 0), upto) + 1, new.id
       FROM message_search_state;
   END;
   CREATE TRIGGER message_search_update AFTER UPDATE OF text, deleted ON messages BEGIN
     DELETE FROM message_search WHERE rowid = (
       SELECT d.doc FROM message_search_docs d, message_search_state s
       WHERE d.message_id = old.id AND d.doc <= s.upto);
     INSERT INTO message_search (rowid, text)
       SELECT d.doc, new.text FROM message_search_docs d, message_search_state s
       WHERE d.message_id = new.id AND d.doc <= s.upto AND new.deleted = 0;
   END;
   CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
     DELETE FROM message_search WHERE rowid = (
       SELECT d.doc FROM message_search_docs d, message_search_state s
       WHERE d.message_id = old.id AND d.doc <= s.upto);
     DELETE FROM message_search_docs WHERE message_id = old.id;
   END;`,
  // 13 (branch idem-inflight): one request holds an Idempotency-Key at a time, named by its
  // hold_id (a UUID per claim), instead of a count of identical requests: an identical request
  // meanwhile is told to retry instead of running its command twice, and a claim knows it won by
  // its own id, not by a count or a time two claims may share. Bindings are pruned (pending ones
  // once released or abandoned, settled ones after their retention): the index finds them. A
  // binding an older instance held at the upgrade stays held until its lease runs out.
  `ALTER TABLE http_idempotency ADD COLUMN hold_id TEXT;
   UPDATE http_idempotency SET hold_id = 'held before the upgrade' WHERE state = 'pending' AND holders > 0;
   ALTER TABLE http_idempotency DROP COLUMN holders;
   CREATE INDEX http_idempotency_prune ON http_idempotency (state, claimed_at);`,
];
