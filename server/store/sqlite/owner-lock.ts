/**
 * One server process owns a data dir: its in-memory admission state (usage totals, reservations,
 * rate windows) and its key cache are only exact if no other server writes the same file.
 * The lock is SQLite's own exclusive lock on a small side file, held for the life of the
 * connection: the OS drops it when the process dies (no stale lock file to clean up), and it is
 * separate from partners.db so the admin-keys CLI can still work beside a running server.
 */
import { basename } from 'node:path';
import Database from 'better-sqlite3';

export class DataDirInUseError extends Error {
  constructor() {
    super('another Partnerdesk server is using it (stop that one first)');
    this.name = 'DataDirInUseError';
  }
}

/** Takes the lock next to `dbFile`; returns its release. Throws DataDirInUseError if held. */
export function takeOwnerLock(dbFile: string, nativeBinding?: string): () => void {
  const lock = new Database(`${dbFile}.owner-lock`, { timeout: 0, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    holdExclusively(lock);
  } catch (error) {
    lock.close();
    throw error;
  }
  return () => {
    if (lock.open) lock.close();
  };
}

/** Exported for tests: the part that decides whether the lock is really ours. */
export function holdExclusively(lock: Database.Database): void {
  const name = basename(lock.name);
  try {
    // In EXCLUSIVE locking mode the lock a write transaction takes is kept after it ends.
    lock.pragma('locking_mode = EXCLUSIVE');
    // The write is what proves the lock is held: on a file SQLite could open only read-only,
    // BEGIN EXCLUSIVE alone succeeds without locking out anyone.
    lock.exec('BEGIN EXCLUSIVE; PRAGMA user_version = 1; COMMIT');
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_BUSY') throw new DataDirInUseError();
    if (code.startsWith('SQLITE_READONLY')) throw new Error(`${name} is read-only, so no lock keeps a second server off this data dir (check its permissions)`, { cause: error });
    if (code === 'SQLITE_NOTADB') throw new Error(`${name} is not a lock file this server wrote (delete it; a running server's lock file is never damaged)`, { cause: error });
    throw error;
  }
}
