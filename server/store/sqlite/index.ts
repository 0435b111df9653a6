/** Opens the SQLite store: one file, WAL journal, migrations applied before anything else. */
import Database from 'better-sqlite3';
import type { Store } from '../types';
import { migrate } from './migrations';
import { sqlitePartners } from './partners';
import { sqliteAdminKeys } from './admin-keys';
import { sqliteAudit } from './audit';
import { sqliteGateway } from './gateway';
import { sqliteRequestLog, sqliteUsage } from './usage';
import { WriteBehind, type WriteErrorHandler } from './write-behind';

export interface SqliteStoreOptions {
  file: string;
  /** Path to a better-sqlite3 binary built for another ABI (Electron's main process). */
  nativeBinding?: string;
  /** A queued write that failed at its group commit (see write-behind.ts); default: stderr. */
  onWriteError?: WriteErrorHandler;
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
  const db = new Database(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    // WAL lets readers proceed during a write; NORMAL sync is durable across app crashes in WAL mode.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Wait for a lock rather than fail at once if another process holds it briefly.
    db.pragma('busy_timeout = 5000');
    migrate(db);
    // A read-only file (or filesystem) opens and reads fine and would only fail at the first
    // write, as a 500. Write once now, so the server refuses to start instead.
    db.exec('BEGIN IMMEDIATE; CREATE TABLE write_probe (x INTEGER); DROP TABLE write_probe; COMMIT');
  } catch (error) {
    db.close();
    throw error;
  }
  const writes = new WriteBehind(
    db,
    options.onWriteError ?? ((error) => process.emitWarning(`partners store: a queued write failed: ${(error as Error).message}`)),
  );
  return {
    partners: sqlitePartners(db, writes),
    adminKeys: sqliteAdminKeys(db),
    audit: sqliteAudit(db),
    gateway: sqliteGateway(db, writes),
    usage: sqliteUsage(db, writes),
    requestLog: sqliteRequestLog(db, writes),
    async close() {
      // Queued settlements and last_used_at writes land before the file closes.
      writes.flush();
      if (db.open) db.close();
    },
  };
}
