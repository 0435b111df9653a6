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
 *
 * Storage trouble (disk full, an I/O error, a read-only file, a lock held too long) must not
 * lose usage: a unit that fails that way is *held* here and retried with every later commit and
 * every RETRY_MS, never dropped. While units are held, `storageFailure` says why, and the
 * gateway admits nothing (so no request goes unmetered); once the held units are in the file it
 * is null again. Any other failure (a constraint) is the unit's own fault: reported, dropped.
 */
import type Database from 'better-sqlite3';
import { StorageUnavailable } from '../types';
import { LOCKED_OUT, STORAGE_FAILURE, WriterThread, type Params, type WriteUnit, type WriterReport, type WriterThreadOptions } from './writer-thread';

export type WriteErrorHandler = (error: unknown) => void;

export const GROUP_COMMIT_MS = 10;
/** A batch this large is committed at once rather than waiting for the window to end. */
const MAX_BATCH = 2048;
/** How often held units are retried when nothing else is being committed. */
export const RETRY_MS = 1000;
/**
 * How long close() keeps retrying held units before giving up on them: long enough for a lock
 * to clear or a disk to get room, shorter than a process manager's stop timeout (systemd 90 s).
 * A second SIGTERM still exits at once: the wait is asynchronous.
 */
export const CLOSE_RETRY_MS = 30_000;

/** A statement writes can name; prepared on the caller's connection (and the thread's). */
export interface QueuedStatement {
  readonly id: number;
}

export interface WriteBehindOptions {
  onError: WriteErrorHandler;
  /** Held units are all in the file again after storage trouble (see storageFailure). */
  onRecovered?: (message: string) => void;
  /** What close() is doing about held units (not a failure yet; onError says if it becomes one). */
  onNotice?: (message: string) => void;
  retryMs?: number;
  closeRetryMs?: number;
  /** Commit in a writer thread: the file, its native binding and the thread's pragmas. */
  thread?: Pick<WriterThreadOptions, 'file' | 'nativeBinding' | 'pragmas' | 'checkpointMs' | 'busyWaitMs'>;
}

export class WriteBehind {
  private pending: WriteUnit[] = [];
  private scheduled: NodeJS.Timeout | null = null;
  private readonly statements: Database.Statement[] = [];
  private thread: WriterThread | null = null;
  /** Batches handed to the thread and not yet acknowledged: re-run here if it dies. */
  private unacked: { seq: number; units: readonly WriteUnit[] }[] = [];
  /** Units that failed for storage reasons, oldest first: retried, never dropped. */
  private held: WriteUnit[] = [];
  /** Why storage fails, from the first held unit until every held unit is in the file. */
  private failure: string | null = null;
  /** The thread's batch that carries the latest retry of held units. */
  private retrySeq: number | null = null;
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
        onReport: (report: WriterReport) => {
          if (report.kind === 'write') this.unitFailed(report.unit, report.code, report.message);
          else if (report.kind === 'committed') this.retryAnswered(report.seq);
          else options.onError(new Error(`WAL checkpoint failed: ${report.message}`));
        },
        onExit: (error) => this.takeBack(error),
      });
    }
  }

  get size(): number {
    return this.pending.length;
  }

  /** Units waiting for storage to work again. */
  get heldCount(): number {
    return this.held.length;
  }

  /**
   * Null while writes reach the file; otherwise why they do not (`database or disk is full
   * (SQLITE_FULL)`), until every unit that failed for that reason is in the file.
   */
  get storageFailure(): string | null {
    if (this.failure !== null && this.retrySeq !== null && this.thread !== null && this.acknowledged(this.retrySeq)) {
      // The retry's failures, if any, were reported before its acknowledgement: collect them now.
      this.thread.drainReports();
      this.retrySeq = null;
      this.settleFailure();
    }
    return this.failure;
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

  /**
   * Commits every queued write now and returns once it is in the file. While storage is known to
   * fail it only hands them on (waiting would block this thread on the lock or the full disk,
   * for nothing): see flushForRead for reads that must be exact.
   */
  flush(): void {
    this.commit(this.storageFailure === null);
  }

  /** flush() for reads that must include every queued write (usage): refuses while writes are held. */
  flushForRead(): void {
    this.flush();
    const problem = this.storageFailure;
    if (problem !== null) {
      throw new StorageUnavailable(`the server cannot record usage right now (${problem}); usage cannot be read exactly until it can`, true);
    }
  }

  /** Flushes, then stops the thread. Usage held for storage trouble is retried for a while first. */
  async close(): Promise<void> {
    // A synchronous flush while storage is known to fail would only block on it (a lock: busy_timeout).
    if (this.storageFailure === null) this.flush();
    if (this.storageFailure !== null) {
      const limit = this.options.closeRetryMs ?? CLOSE_RETRY_MS;
      // No count here: some of the writes may be on their way back from the thread; the one below is exact.
      this.options.onNotice?.(`closing while usage waits for storage (${this.failure}); retrying for up to ${limit / 1000} s`);
      if (this.scheduled === null) this.commit(false);
      // The retry timer and the thread's answers run while this waits (the getter sees them).
      const deadline = Date.now() + limit;
      while (this.storageFailure !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      // One last try, waited for to the end: every batch in the thread answered, the count below is exact.
      this.commit(true, true);
    }
    const thread = this.thread;
    this.thread = null;
    await thread?.stop();
    // Held, or still in the thread when it stopped (behind a lock, say): not in the file.
    const lost = this.held.length + this.unacked.reduce((n, b) => n + b.units.length, 0);
    if (lost > 0) {
      // Nowhere left to keep them: say how much usage this is, so it can be accounted for.
      this.options.onError(new Error(`closing with ${lost} queued writes that never reached the file: ${this.failure}`));
      this.held = [];
      this.unacked = [];
    }
  }

  private commit(wait: boolean, untilAll = false): void {
    if (this.scheduled !== null) {
      clearTimeout(this.scheduled);
      this.scheduled = null;
    }
    if (!this.db.open) return;
    // Held units go first, so rows land in the order their answers ended.
    const retrying = this.held.length > 0;
    const batch = retrying ? [...this.held, ...this.pending] : this.pending;
    this.held = [];
    this.pending = [];
    if (this.thread === null) {
      this.runHere(batch);
      if (retrying) this.settleFailure();
      this.scheduleRetry();
      return;
    }
    if (batch.length > 0) {
      const seq = this.thread.submit(batch, retrying);
      this.unacked.push({ seq, units: batch });
      if (retrying) this.retrySeq = seq;
    }
    let all = false;
    if (wait) {
      try {
        all = this.thread.waitCommitted(untilAll);
      } catch (error) {
        this.takeBack(error as Error);
        return;
      }
    }
    if (all) {
      this.unacked = [];
      if (this.retrySeq !== null) {
        this.retrySeq = null;
        this.settleFailure();
      }
    } else {
      const committed = this.thread.committed;
      // Sequence numbers only grow between acknowledgements (they wrap after 2^31 batches).
      const i = this.unacked.findIndex((b) => b.seq === committed);
      if (i !== -1) this.unacked = this.unacked.slice(i + 1);
    }
    this.scheduleRetry();
  }

  /** Whether the thread has acknowledged batch `seq` (it is no longer waiting in `unacked`). */
  private acknowledged(seq: number): boolean {
    const committed = this.thread!.committed;
    const i = this.unacked.findIndex((b) => b.seq === committed);
    if (i !== -1) this.unacked = this.unacked.slice(i + 1);
    return !this.unacked.some((b) => b.seq === seq);
  }

  /** The thread's answer to a retry of held units, delivered as soon as it committed (or failed again). */
  private retryAnswered(seq: number): void {
    if (seq !== this.retrySeq) return;
    this.retrySeq = null;
    this.settleFailure();
  }

  /** A unit failed: held for a retry if storage is at fault, otherwise reported and dropped. */
  private unitFailed(unit: WriteUnit, code: string, message: string): void {
    if (!STORAGE_FAILURE.test(code)) {
      this.options.onError(new Error(message));
      return;
    }
    this.held.push(unit);
    if (this.failure === null) {
      this.failure = `${message} (${code})`;
      this.options.onError(new Error(`cannot record usage: ${this.failure}; the rows are kept and retried every ${this.retryMs / 1000} s`));
    }
    this.scheduleRetry();
  }

  /** After a retry has been answered: recovered if nothing is held any more. */
  private settleFailure(): void {
    if (this.failure === null || this.held.length > 0) return;
    this.options.onRecovered?.(`usage is recorded again (the storage failed with: ${this.failure})`);
    this.failure = null;
  }

  private get retryMs(): number {
    return this.options.retryMs ?? RETRY_MS;
  }

  /** With units held and no commit coming, one is scheduled: storage is probed until it works. */
  private scheduleRetry(): void {
    if (this.held.length === 0 || this.scheduled !== null || !this.db.open) return;
    this.scheduled = setTimeout(this.flushSoon, this.retryMs);
    this.scheduled.unref();
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
    const retrying = this.retrySeq !== null;
    this.retrySeq = null;
    // A unit the thread did commit fails here on request_log's unique request_id and rolls back
    // whole: at most once, never twice.
    for (const { units } of batches) this.runHere(units);
    if (retrying) this.settleFailure();
  }

  private runHere(batch: readonly WriteUnit[]): void {
    if (batch.length === 0) return;
    try {
      this.runBatch.immediate(batch);
    } catch (batchError) {
      const { code, message } = batchError as { code?: unknown; message?: unknown };
      if (typeof code === 'string' && LOCKED_OUT.test(code)) {
        // Each unit would wait out busy_timeout again, on this (the main) thread: hold them all.
        for (const unit of batch) this.unitFailed(unit, code, String(message));
        return;
      }
      // One bad write must not sink the others of its batch: retry each unit alone, report the failures.
      for (const unit of batch) {
        try {
          this.runOne.immediate(unit);
        } catch (error) {
          const { code, message } = error as { code?: unknown; message?: unknown };
          this.unitFailed(unit, typeof code === 'string' ? code : '', String(message));
        }
      }
    }
  }
}
