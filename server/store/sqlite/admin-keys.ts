/** SQLite implementation of the admin key repository. Keys are held as hashes only. */
import type Database from 'better-sqlite3';
import type { AdminKeyRecord, AdminKeyRepository } from '../types';

interface AdminKeyRow {
  id: string;
  name: string;
  key_hash: string;
  key_hint: string;
  created_at: string;
  revoked_at: string | null;
}

const fromRow = (r: AdminKeyRow): AdminKeyRecord => ({
  id: r.id,
  name: r.name,
  keyHash: r.key_hash,
  keyHint: r.key_hint,
  createdAt: r.created_at,
});

export function sqliteAdminKeys(db: Database.Database): AdminKeyRepository {
  // OR IGNORE on the unique hash makes registering the same key at every start idempotent.
  const insert = db.prepare(`INSERT OR IGNORE INTO admin_keys (id, name, key_hash, key_hint, created_at)
    VALUES (@id, @name, @keyHash, @keyHint, @createdAt)`);
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM admin_keys WHERE revoked_at IS NULL');
  const byHash = db.prepare<[string], AdminKeyRow>(
    'SELECT id, name, key_hash, key_hint, created_at, revoked_at FROM admin_keys WHERE key_hash = ? AND revoked_at IS NULL',
  );
  const all = db.prepare<[], AdminKeyRow>(
    'SELECT id, name, key_hash, key_hint, created_at, revoked_at FROM admin_keys ORDER BY seq',
  );
  const revokedAtOf = db.prepare<[string], { revoked_at: string | null }>('SELECT revoked_at FROM admin_keys WHERE id = ?');
  const revoke = db.prepare('UPDATE admin_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const revokeTx = db.transaction((id: string, at: string) => {
    const found = revokedAtOf.get(id);
    if (!found) return 'not_found' as const;
    if (found.revoked_at !== null) return 'already_revoked' as const;
    revoke.run(at, id);
    return 'revoked' as const;
  });
  return {
    async ensure(key) {
      return insert.run(key).changes === 1;
    },
    async count() {
      return count.get()?.n ?? 0;
    },
    async findByKeyHash(keyHash) {
      const row = byHash.get(keyHash);
      return row ? fromRow(row) : null;
    },
    async list() {
      return all.all().map((r) => ({ ...fromRow(r), revokedAt: r.revoked_at }));
    },
    async revoke(id, at) {
      return revokeTx(id, at);
    },
  };
}
