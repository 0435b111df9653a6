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
import { takeOwnerLock } from './owner-lock';
import { guarded } from './storage-errors';

export const WAL_AUTOCHECKPOINT_PAGES = 10_000;
const JOURNAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;
/** How often the WAL is checkpointed (PASSIVE: never waits, never blocks readers) off the request path. */
export const CHECKPOINT_INTERVAL_MS = 5_000;

/**
 * Set on every connection to the file (the main one and the writer thread's).
 * - NORMAL sync is durable across app crashes in WAL mode.
 * - busy_timeout: wait for a lock rather than fail at once if another connection holds it briefly
 *   (a second at most; see the pragma).
 * - Checkpoints: the settlement commits (write-behind.ts) append a few pages to the WAL many
 *   times a second. At SQLite's default (a checkpoint every 1,000 pages, ~4 MB) one of those
 *   commits does the checkpoint every fraction of a second, and a page rewritten many times is
 *   copied back as often. Up to WAL_AUTOCHECKPOINT_PAGES (~40 MB) lets a single checkpoint copy
 *   each hot page once (−25 % SQLite CPU per settlement in bench); a timer checkpoints in the
 *   background so the limit is only a backstop under sustained load, and journal_size_limit
 *   gives the disk space back after a checkpoint.
 */
const BUSY_TIMEOUT_MS = 1000;
const CONNECTION_PRAGMAS = [
  'synchronous = NORMAL',
  'foreign_keys = ON',
  // Only the admin-keys CLI writes beside the server, in transactions of milliseconds; a lock held
  // longer is another program's, and waiting on it blocks the thread that waits (the event loop).
  `busy_timeout = ${BUSY_TIMEOUT_MS}`,
  `wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`,
  `journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`,
  'temp_store = MEMORY',
];

/**
 * The writer thread only appends: its hot pages are the tails of request_log and its indexes
 * and the usage rows (~60 pages at 50 active partners). SQLite's default 2 MB page cache in
 * that thread left 13–25 MB of glibc arena behind after load (bench/gateway target (d)); 1 MB
 * (256 pages) still holds every hot page. No busy_timeout: the thread waits out a lock in
 * JavaScript (writer-thread.ts, busyWaitMs), never in SQLite's busy handler.
 */
const WRITER_PRAGMAS = [...CONNECTION_PRAGMAS.filter((pragma) => !pragma.startsWith('busy_timeout')), 'cache_size = -1024'];

export interface SqliteStoreOptions {
  file: string;
  /** Path to a better-sqlite3 binary built for another ABI (Electron's main process). */
  nativeBinding?: string;
  /** A queued write that failed at its group commit (see write-behind.ts); default: stderr. */
  onWriteError?: WriteErrorHandler;
  /** Writes reach the file again after storage trouble (disk full…); default: nothing. */
  onWritesRecovered?: (message: string) => void;
  /** Closing while writes wait for storage: how long it keeps retrying; default: stderr. */
  onWriteNotice?: (message: string) => void;
  /**
   * The server opens its store as the owner: it takes the data dir's owner lock (a second server
   * on the same file is refused) and may then trust its own writes as the only partner writes.
   * The admin-keys CLI opens without it, beside a running server.
   */
  owner?: boolean;
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
  const releaseOwnerLock = options.owner ? takeOwnerLock(options.file, options.nativeBinding) : () => {};
  let db: Database.Database;
  try {
    db = new Database(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    releaseOwnerLock();
    throw error;
  }
  try {
    for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
    // WAL lets readers proceed during a write (and the writer thread write beside the main one).
    db.pragma('journal_mode = WAL');
    migrate(db);
    // A read-only file (or filesystem) opens and reads fine and would only fail at the first
    // write, as a 500. Write once now, so the server refuses to start instead.
    db.exec('BEGIN IMMEDIATE; CREATE TABLE write_probe (x INTEGER); DROP TABLE write_probe; COMMIT');
  } catch (error) {
    db.close();
    releaseOwnerLock();
    throw error;
  }
  const onError = options.onWriteError ?? ((error) => process.emitWarning(`partners store: a queued write failed: ${(error as Error).message}`));
  // The server (the owner) commits and checkpoints in a writer thread; see writer-thread.ts.
  const writes = new WriteBehind(db, {
    onError,
    ...(options.onWritesRecovered ? { onRecovered: options.onWritesRecovered } : {}),
    onNotice: options.onWriteNotice ?? ((message) => process.emitWarning(`partners store: ${message}`)),
    ...(options.owner
      ? { thread: { file: options.file, nativeBinding: options.nativeBinding, pragmas: WRITER_PRAGMAS, checkpointMs: CHECKPOINT_INTERVAL_MS, busyWaitMs: BUSY_TIMEOUT_MS } }
      : {}),
  });
  // Without the thread, this connection checkpoints on a timer of its own.
  const checkpoint = options.owner
    ? null
    : setInterval(() => {
        if (!db.open) return;
        try {
          db.pragma('wal_checkpoint(PASSIVE)');
        } catch (error) {
          // Busy or I/O trouble: the next tick (or SQLite's own autocheckpoint) tries again.
          onError(new Error(`WAL checkpoint failed: ${(error as Error).message}`));
        }
      }, CHECKPOINT_INTERVAL_MS);
  // Never keeps the process alive on its own; close() stops it.
  checkpoint?.unref();
  return {
    partners: guarded(sqlitePartners(db, writes, { soleWriter: options.owner === true }), ['findKey', 'touchLastUsed']),
    adminKeys: guarded(sqliteAdminKeys(db)),
    audit: guarded(sqliteAudit(db)),
    gateway: sqliteGateway(db, writes),
    usage: sqliteUsage(db, writes),
    requestLog: sqliteRequestLog(db, writes),
    async close() {
      if (checkpoint) clearInterval(checkpoint);
      // Queued settlements and last_used_at writes land before the file closes.
      await writes.close();
      if (db.open) db.close();
      releaseOwnerLock();
    },
  };
}
