/**
 * Numbered schema migrations. Each runs once, in order, inside one transaction together with
 * the bump of `PRAGMA user_version`, so a crash never leaves a half-migrated database.
 * Never edit a released migration: add the next number.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      -- seq gives a strict creation order for keyset pagination (timestamps can tie).
      CREATE TABLE partners (
        seq                   INTEGER PRIMARY KEY AUTOINCREMENT,
        id                    TEXT NOT NULL UNIQUE,
        name                  TEXT NOT NULL,
        description           TEXT,
        permissions           TEXT NOT NULL,          -- JSON array of scopes
        max_tokens_per_month  INTEGER,
        requests_per_minute   INTEGER,
        expires_at            TEXT,
        active                INTEGER NOT NULL DEFAULT 1,
        key_hash              TEXT NOT NULL UNIQUE,   -- sha256 hex; the key itself is never stored
        key_hint              TEXT NOT NULL,
        key_created_at        TEXT NOT NULL,
        last_used_at          TEXT,
        created_at            TEXT NOT NULL,
        updated_at            TEXT NOT NULL
      );

      CREATE TABLE admin_keys (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        id          TEXT NOT NULL UNIQUE,
        name        TEXT NOT NULL,
        key_hash    TEXT NOT NULL UNIQUE,
        key_hint    TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
      );

      -- No foreign key to partners: the history must outlive a deleted partner.
      CREATE TABLE audit_logs (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        id            TEXT NOT NULL UNIQUE,
        timestamp     TEXT NOT NULL,
        action        TEXT NOT NULL,
        partner_id    TEXT,
        partner_name  TEXT,
        actor_type    TEXT NOT NULL,
        actor_id      TEXT NOT NULL,
        actor_name    TEXT NOT NULL,
        request_id    TEXT NOT NULL,
        details       TEXT NOT NULL               -- JSON object, never a key
      );
      CREATE INDEX audit_logs_partner ON audit_logs (partner_id, seq);
      CREATE INDEX audit_logs_action ON audit_logs (action, seq);
    `,
  },
  {
    version: 2,
    sql: `
      -- Soft delete: the row stays so audit and usage history keep their partner.
      ALTER TABLE partners ADD COLUMN deleted_at TEXT;

      -- Every key a partner has had, as hashes. retired_at NULL = the current key; a retired key
      -- works until expires_at (its grace window) and is kept afterwards so its holder can be
      -- told "rotated". partners.key_hash/key_hint/key_created_at mirror the current key.
      CREATE TABLE partner_keys (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        partner_id  TEXT NOT NULL REFERENCES partners (id),
        key_hash    TEXT NOT NULL UNIQUE,
        key_hint    TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        retired_at  TEXT,
        expires_at  TEXT
      );
      CREATE INDEX partner_keys_partner ON partner_keys (partner_id, retired_at);
      INSERT INTO partner_keys (partner_id, key_hash, key_hint, created_at)
        SELECT id, key_hash, key_hint, key_created_at FROM partners ORDER BY seq;

      -- The audit log's since/until filters.
      CREATE INDEX audit_logs_timestamp ON audit_logs (timestamp, seq);
    `,
  },
  {
    version: 3,
    sql: `
      -- The gateway (owned by the gateway's store code). One row per partner and UTC month;
      -- reserved_tokens is the sum of the worst cases of requests in flight: admit adds one,
      -- settle takes it back, and a start zeroes them all (nothing is in flight before it listens).
      -- No foreign keys to partners: usage and history outlive a deleted partner.
      CREATE TABLE usage (
        partner_id                   TEXT NOT NULL,
        period                       TEXT NOT NULL,             -- YYYY-MM, UTC
        input_tokens                 INTEGER NOT NULL DEFAULT 0,
        output_tokens                INTEGER NOT NULL DEFAULT 0,
        cache_creation_input_tokens  INTEGER NOT NULL DEFAULT 0,
        cache_read_input_tokens      INTEGER NOT NULL DEFAULT 0,
        requests                     INTEGER NOT NULL DEFAULT 0,
        reserved_tokens              INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (partner_id, period)
      ) WITHOUT ROWID;

      -- Admission times inside each partner's sliding requests-per-minute window. One B-tree
      -- (WITHOUT ROWID), so each admission writes one row, not a row and an index entry.
      CREATE TABLE rate_window (
        partner_id      TEXT NOT NULL,
        admitted_at_ms  INTEGER NOT NULL,
        request_id      TEXT NOT NULL,
        PRIMARY KEY (partner_id, admitted_at_ms, request_id)
      ) WITHOUT ROWID;
      CREATE TABLE rate_counts (
        partner_id  TEXT PRIMARY KEY,
        in_window   INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- partner.usage_limit_reached is audited once per partner and period.
      CREATE TABLE usage_limit_notices (
        partner_id  TEXT NOT NULL,
        period      TEXT NOT NULL,
        PRIMARY KEY (partner_id, period)
      ) WITHOUT ROWID;

      -- Request history: metadata only, never content.
      CREATE TABLE request_log (
        seq                          INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id                   TEXT NOT NULL UNIQUE,
        partner_id                   TEXT NOT NULL,
        model                        TEXT,
        stream                       INTEGER NOT NULL,
        status                       INTEGER NOT NULL,
        input_tokens                 INTEGER NOT NULL,
        output_tokens                INTEGER NOT NULL,
        cache_creation_input_tokens  INTEGER NOT NULL,
        cache_read_input_tokens      INTEGER NOT NULL,
        started_at                   TEXT NOT NULL,
        finished_at                  TEXT NOT NULL,
        duration_ms                  REAL NOT NULL
      );
      CREATE INDEX request_log_partner ON request_log (partner_id, seq);
    `,
  },
];

/** Applies every migration newer than the database; refuses a database from a newer server. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const apply = db.transaction(() => {
    // Read inside the transaction: another process may have migrated while we waited for the lock.
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > latest) {
      throw new Error(`database schema version ${current} is newer than this server supports (${latest})`);
    }
    for (const m of migrations) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      // PRAGMA takes no bound parameters; the version is a trusted integer literal.
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    }
  });
  // IMMEDIATE takes the write lock up front, so two processes opening at once cannot both migrate.
  apply.immediate();
}
