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
 *
 * Where batches run: on the server (`threaded`), in the writer thread (writer-thread.ts), so
 * neither the commit nor the checkpoint ever blocks a request; `flush()` then waits for the
 * thread. Otherwise (the admin-keys CLI, or if the thread ever dies) on the caller's connection.
 * Writes are data — a prepared statement's id and its parameters — so either side can run them.
 */
import type Database from 'better-sqlite3';
import { WriterThread, type Params, type WriteUnit, type WriterThreadOptions } from './writer-thread';

export type WriteErrorHandler = (error: unknown) => void;

export const GROUP_COMMIT_MS = 10;
/** A batch this large is committed at once rather than waiting for the window to end. */
const MAX_BATCH = 2048;

/** A statement writes can name; prepared on the caller's connection (and the thread's). */
export interface QueuedStatement {
  readonly id: number;
}

export interface WriteBehindOptions {
  onError: WriteErrorHandler;
  /** Commit in a writer thread: the file, its native binding and the thread's pragmas. */
  thread?: Pick<WriterThreadOptions, 'file' | 'nativeBinding' | 'pragmas' | 'checkpointMs'>;
}

export class WriteBehind {
  private pending: WriteUnit[] = [];
  private scheduled: NodeJS.Timeout | null = null;
  private readonly statements: Database.Statement[] = [];
  private thread: WriterThread | null = null;
  /** Batches handed to the thread and not yet acknowledged: re-run here if it dies. */
  private unacked: { seq: number; units: readonly WriteUnit[] }[] = [];
  private readonly runUnit = (unit: WriteUnit) => {
    for (const [id, params] of unit) this.statements[id]!.run(...params);
  };
  private readonly runBatch: Database.Transaction<(batch: readonly WriteUnit[]) => void>;
  private readonly runOne: Database.Transaction<(unit: WriteUnit) => void>;
  private readonly flushSoon = () => {
    this.scheduled = null;
    this.commit(false);
  };

  constructor(
    private readonly db: Database.Database,
    private readonly options: WriteBehindOptions,
  ) {
    this.runBatch = db.transaction((batch: readonly WriteUnit[]) => {
      for (const unit of batch) this.runUnit(unit);
    });
    this.runOne = db.transaction(this.runUnit);
    if (options.thread) {
      this.thread = new WriterThread({
        ...options.thread,
        onReport: (kind, message) =>
          options.onError(new Error(kind === 'write' ? message : `WAL checkpoint failed: ${message}`)),
        onExit: (error) => this.takeBack(error),
      });
    }
  }

  get size(): number {
    return this.pending.length;
  }

  /** Prepares `sql` (here, and in the thread) for queued writes. A syntax error throws now. */
  statement(sql: string): QueuedStatement {
    const id = this.statements.length;
    this.statements.push(this.db.prepare(sql));
    this.thread?.prepare(id, sql);
    return { id };
  }

  /** Queues statement runs that commit together (all or none) with the next group commit. */
  enqueue(...writes: (readonly [QueuedStatement, Params])[]): void {
    this.pending.push(writes.map(([statement, params]) => [statement.id, params] as const));
    if (this.pending.length >= MAX_BATCH) {
      this.commit(false);
    } else if (this.scheduled === null) {
      this.scheduled = setTimeout(this.flushSoon, GROUP_COMMIT_MS);
      // Pending writes never keep the process alive: close() flushes them.
      this.scheduled.unref();
    }
  }

  /** Commits every queued write now and returns once it is in the file. */
  flush(): void {
    this.commit(true);
  }

  /** Flushes, then stops the thread. */
  async close(): Promise<void> {
    this.flush();
    const thread = this.thread;
    this.thread = null;
    await thread?.stop();
  }

  private commit(wait: boolean): void {
    if (this.scheduled !== null) {
      clearTimeout(this.scheduled);
      this.scheduled = null;
    }
    if (!this.db.open) return;
    const batch = this.pending;
    this.pending = [];
    if (this.thread === null) {
      this.runHere(batch);
      return;
    }
    if (batch.length > 0) this.unacked.push({ seq: this.thread.submit(batch), units: batch });
    if (wait) {
      try {
        this.thread.waitCommitted();
      } catch (error) {
        this.takeBack(error as Error);
        return;
      }
      this.unacked = [];
    } else {
      const committed = this.thread.committed;
      // Sequence numbers only grow between acknowledgements (they wrap after 2^31 batches).
      const i = this.unacked.findIndex((b) => b.seq === committed);
      if (i !== -1) this.unacked = this.unacked.slice(i + 1);
    }
  }

  /** The thread died or hung: its unacknowledged batches run here, and so does everything after. */
  private takeBack(error: Error): void {
    if (this.thread === null) return;
    const thread = this.thread;
    this.thread = null;
    void thread.stop();
    this.options.onError(new Error(`the store's writer thread failed (${error.message}); writing on the main thread`));
    const batches = this.unacked;
    this.unacked = [];
    // A unit the thread did commit fails here on request_log's unique request_id and rolls back
    // whole: at most once, never twice.
    for (const { units } of batches) this.runHere(units);
  }

  private runHere(batch: readonly WriteUnit[]): void {
    if (batch.length === 0) return;
    try {
      this.runBatch.immediate(batch);
    } catch {
      // One bad write must not sink the others of its batch: retry each unit alone, report the failures.
      for (const unit of batch) {
        try {
          this.runOne.immediate(unit);
        } catch (error) {
          this.options.onError(error);
        }
      }
    }
  }
}
