import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations';

export type CacheDb = Database.Database;

export const CACHE_FILE_NAME = 'partnerdesk.db';

export interface OpenCacheOptions {
  dataDir: string;
  /** A better-sqlite3 binary built for Electron's ABI; Node's own build when absent. */
  nativeBinding?: string;
  clock?: () => Date;
}

/** Opens (creating if needed) `<dataDir>/partnerdesk.db` in WAL mode and brings it up to date. */
export function openCache(options: OpenCacheOptions): CacheDb {
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, CACHE_FILE_NAME);
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // WAL keeps readers off the writer's back; NORMAL is durable enough for a rebuildable cache.
    db.pragma('synchronous = NORMAL');
    applyMigrations(db, MIGRATIONS, options.clock ?? (() => new Date()));
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function applyMigrations(db: CacheDb, migrations: readonly Migration[], clock: () => Date): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    // A newer app wrote this cache; running old code on it could corrupt it.
    throw new Error(`The cache database is at version ${newest}, newer than this app understands (${known}).`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const ran: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, clock().toISOString());
    })();
    ran.push(migration.version);
  }
  return ran;
}
