/** SQLite implementation of the admin key repository. Keys are held as hashes only. */
import type Database from 'better-sqlite3';
import type { AdminKeyRecord, AdminKeyRepository } from '../types';

interface AdminKeyRow {
  id: string;
  name: string;
  key_hash: string;
  key_hint: string;
  created_at: string;
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
    'SELECT id, name, key_hash, key_hint, created_at FROM admin_keys WHERE key_hash = ? AND revoked_at IS NULL',
  );
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
  };
}
