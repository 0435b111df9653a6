/**
 * One server process owns a data dir: its in-memory admission state (usage totals, reservations,
 * rate windows) and its key cache are only exact if no other server writes the same file.
 * The lock is SQLite's own exclusive lock on a small side file, held for the life of the
 * connection: the OS drops it when the process dies (no stale lock file to clean up), and it is
 * separate from partners.db so the admin-keys CLI can still work beside a running server.
 */
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
    // In EXCLUSIVE locking mode the lock a write transaction takes is kept after it ends.
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirInUseError();
    throw error;
  }
  return () => {
    if (lock.open) lock.close();
  };
}
