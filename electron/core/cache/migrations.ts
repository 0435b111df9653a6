/**
 * Numbered, append-only migrations of the desktop cache. Never edit one that has shipped:
 * add the next number. Each runs in its own transaction together with its bookkeeping row,
 * so a crash leaves the database at a whole version.
 *
 * Every table is keyed by account id, so one account's rows can never appear in another's
 * lists, and deleting an account removes its cache (ON DELETE CASCADE).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, settings and the partners cache',
    sql: `
      CREATE TABLE accounts (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        color           TEXT NOT NULL,
        base_url        TEXT NOT NULL,
        -- The admin key as the vault sealed it: a version byte, then SecretStore ciphertext.
        key_ciphertext  BLOB NOT NULL,
        key_hint        TEXT NOT NULL,
        embedded        INTEGER NOT NULL DEFAULT 0 CHECK (embedded IN (0, 1)),
        created_at      TEXT NOT NULL,
        last_synced_at  TEXT,
        sort_order      INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- Partner objects hold no secrets (the API never returns a key outside create/rotate,
      -- and the repository strips api_key before writing).
      CREATE TABLE partners (
        account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        partner_id  TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        json        TEXT NOT NULL,
        PRIMARY KEY (account_id, partner_id)
      ) STRICT;

      -- The partner list pages newest first, like the API.
      CREATE INDEX partners_by_account_newest ON partners (account_id, created_at DESC, partner_id DESC);
    `,
  },
];
