/**
 * Group commit for the SQLite store's hot-path writes (settlement rows, last_used_at).
 *
 * A SQLite file is owned by exactly one server process, so the process's own memory is the
 * authoritative copy of what is queued here: the repositories update their in-memory state at
 * once and queue the row writes. Every write queued within GROUP_COMMIT_MS of the first one is
 * committed in ONE transaction, and always on close(). The crash window (a kill -9 or power
 * loss) is therefore GROUP_COMMIT_MS; a clean shutdown loses nothing. Any read of rows that
 * queued writes touch calls `flush()` first, so reads stay exact.
 *
 * Why a few milliseconds rather than one event-loop turn: profiling at concurrency 50 showed a
 * turn settles only a handful of requests, and each commit writes every page it touched to the
 * WAL (request_log's indexes are scattered), so per-turn commits cost ~75 µs per request; a
 * 10 ms window shares pages and the commit among many more settlements.
 */
import type Database from 'better-sqlite3';

export type WriteErrorHandler = (error: unknown) => void;

export const GROUP_COMMIT_MS = 10;
/** A batch this large is committed at once rather than waiting for the window to end. */
const MAX_BATCH = 2048;

export class WriteBehind {
  private pending: (() => void)[] = [];
  private scheduled: NodeJS.Timeout | null = null;
  private readonly runBatch: Database.Transaction<(batch: readonly (() => void)[]) => void>;
  private readonly flushSoon = () => {
    this.scheduled = null;
    this.flush();
  };

  constructor(
    private readonly db: Database.Database,
    private readonly onError: WriteErrorHandler,
  ) {
    this.runBatch = db.transaction((batch: readonly (() => void)[]) => {
      for (const write of batch) write();
    });
  }

  get size(): number {
    return this.pending.length;
  }

  /** Queues a write (synchronous statements on `db`) for the next group commit. */
  enqueue(write: () => void): void {
    this.pending.push(write);
    if (this.pending.length >= MAX_BATCH) {
      this.flush();
    } else if (this.scheduled === null) {
      this.scheduled = setTimeout(this.flushSoon, GROUP_COMMIT_MS);
      // Pending writes never keep the process alive: close() flushes them.
      this.scheduled.unref();
    }
  }

  /** Commits every queued write now, in one transaction. Cheap when nothing is queued. */
  flush(): void {
    if (this.scheduled !== null) {
      clearTimeout(this.scheduled);
      this.scheduled = null;
    }
    if (this.pending.length === 0 || !this.db.open) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.runBatch.immediate(batch);
    } catch {
      // One bad write must not sink the others of its turn: retry each alone, report the failures.
      for (const write of batch) {
        try {
          this.db.transaction(write).immediate();
        } catch (error) {
          this.onError(error);
        }
      }
    }
  }
}
