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
