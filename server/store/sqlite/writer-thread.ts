/**
 * The server's background SQLite writer: a worker thread with its own connection to the same
 * file that commits the write-behind batches and runs the periodic WAL checkpoint.
 *
 * Why a thread: a group commit (~1–2 ms for a 10 ms batch at concurrency 50) and above all a
 * checkpoint (two fsyncs, 15–35 ms on this project's VMs) block whatever thread runs them. On
 * the main thread that stalled every request and SSE event in flight (hundreds of events held
 * a whole 20 ms interval per checkpoint in bench/gateway); here they run beside the event loop.
 *
 * The worker's code is a plain CommonJS string run with `eval`, started with no execArgv: no
 * TypeScript loader, bundler chunk or profiler flag is needed (or inherited) in the thread, so
 * it starts the same under tsx, vitest, the bench and Electron's bundled main process.
 *
 * Protocol: 'prepare' (id, sql) once per statement; 'batch' (seq, units), each unit a list of
 * [statementId, params] committed all-or-nothing. The worker commits a batch in one transaction
 * (retrying unit by unit if it fails, reporting each failure with its unit on the report port) and then
 * stores `seq` in the shared acknowledgement cell, waking any waiter (a thread that cannot open
 * the database says so in a second cell, so a waiter gives up at once). A synchronous flush posts
 * the queue and waits on that cell (Atomics.wait), then drains the report port with
 * receiveMessageOnPort so failures reach the caller before it returns.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export type Params = readonly unknown[];
/**
 * SQLite failures of the storage, not of the unit (disk full, I/O error, a lock held past
 * busy_timeout…): the same unit may well succeed later, so it is held and retried, never dropped.
 */
export const STORAGE_FAILURE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|NOMEM|PROTOCOL)/;
/**
 * The file is locked by another connection: every further attempt would wait out busy_timeout
 * again, so a failed batch is held whole instead of being retried unit by unit. (A full disk is
 * retried unit by unit: the units that still fit go in.)
 */
export const LOCKED_OUT = /^SQLITE_(BUSY|LOCKED)/;
/** One statement run: its id from prepare() and its parameters. */
export type Write = readonly [statementId: number, params: Params];
/** Writes that commit together or not at all (one settlement's usage and log rows). */
export type WriteUnit = readonly Write[];

const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const cells = new Int32Array(workerData.cells);
let db;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
  for (const pragma of workerData.pragmas) db.pragma(pragma);
  // A lock is waited out here, in JavaScript (below), never inside SQLite's busy handler: a
  // thread terminated while better-sqlite3 is in native code aborts the whole process.
  db.pragma('busy_timeout = 0');
} catch (error) {
  // A waiting flush must not wait for an answer that will never come.
  Atomics.store(cells, 1, 2);
  Atomics.notify(cells, 0);
  throw error;
}
const reports = workerData.reports;
const statements = [];
const runUnit = (unit) => { for (const [id, params] of unit) statements[id].run(...params); };
const runBatch = db.transaction((units) => { for (const unit of units) runUnit(unit); });
const runOne = db.transaction(runUnit);
const pause = new Int32Array(new SharedArrayBuffer(4));
/** Runs fn, retrying while the file is locked, for up to busyWaitMs. */
function patiently(fn) {
  const deadline = Date.now() + workerData.busyWaitMs;
  for (;;) {
    try {
      return fn();
    } catch (error) {
      if (!/^SQLITE_BUSY/.test(String(error && error.code)) || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
}
const LOCKED_OUT = ${LOCKED_OUT};
const STORAGE_FAILURE = ${STORAGE_FAILURE};
const report = (unit, error) => reports.postMessage({ kind: 'write', message: String(error && error.message), code: String(error && error.code), unit });
parentPort.on('message', (message) => {
  if (message.type === 'prepare') {
    statements[message.id] = db.prepare(message.sql);
    return;
  }
  if (message.type !== 'batch') return;
  let failedOnStorage = false;
  try {
    patiently(() => runBatch.immediate(message.units));
  } catch (batchError) {
    // Locked out: all go back at once, to be held and retried (each would wait out busy_timeout
    // again). Otherwise one bad unit must not sink the others: each is tried alone and only the
    // failures go back (held if storage is at fault, such as a full disk).
    if (LOCKED_OUT.test(String(batchError && batchError.code))) {
      failedOnStorage = true;
      for (const unit of message.units) report(unit, batchError);
    } else {
      for (const unit of message.units) {
        try {
          patiently(() => runOne.immediate(unit));
        } catch (error) {
          report(unit, error);
          if (STORAGE_FAILURE.test(String(error && error.code))) failedOnStorage = true;
        }
      }
    }
  }
  Atomics.store(cells, 0, message.seq);
  // After the acknowledgement (its units are back in the reports): a flush waiting for batches
  // queued behind this one stops waiting, since they would fail alike.
  if (failedOnStorage) Atomics.store(cells, 2, message.seq);
  Atomics.notify(cells, 0);
  // After this batch's failures, on the same port: the caller learns the outcome without polling.
  if (message.notify) reports.postMessage({ kind: 'committed', seq: message.seq });
});
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    reports.postMessage({ kind: 'checkpoint', message: String(error && error.message) });
  }
}, workerData.checkpointMs);
`;

export interface WriterThreadOptions {
  file: string;
  nativeBinding?: string;
  /** Run on the worker's connection before anything else (busy_timeout, synchronous…). */
  pragmas: readonly string[];
  checkpointMs: number;
  /** How long a commit waits for a lock held by another connection (the thread's busy timeout). */
  busyWaitMs: number;
  /** A failed unit (with its SQLite error code and the unit itself) or checkpoint, as reported by the thread. */
  onReport: (report: WriterReport) => void;
  /** The thread stopped on its own (crash, out of memory): the caller takes the writes back. */
  onExit: (error: Error) => void;
}

export type WriterReport =
  | { kind: 'write'; message: string; code: string; unit: WriteUnit }
  | { kind: 'checkpoint'; message: string }
  /** Sent after a batch submitted with `notify`, once its failures (if any) have been reported. */
  | { kind: 'committed'; seq: number };

/** How long a synchronous flush waits for the thread before declaring it stuck. */
const FLUSH_TIMEOUT_MS = 30_000;

export class WriterThread {
  private readonly worker: Worker;
  private readonly reports: MessagePort;
  /** [0]: the newest committed batch; [1]: 2 once the thread failed to start; [2]: the newest batch that failed on storage. */
  private readonly cells = new Int32Array(new SharedArrayBuffer(12));
  /** cells[2] as of the last wait that saw it change. */
  private failureSeen = 0;
  private sent = 0;
  private stopping = false;

  constructor(private readonly options: WriterThreadOptions) {
    const { port1, port2 } = new MessageChannel();
    this.reports = port1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      // The thread runs a few prepared statements: a small young generation is plenty.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 },
      workerData: {
        driver: require.resolve('better-sqlite3'),
        file: options.file,
        nativeBinding: options.nativeBinding,
        pragmas: options.pragmas,
        checkpointMs: options.checkpointMs,
        busyWaitMs: options.busyWaitMs,
        cells: this.cells.buffer,
        reports: port2,
      },
      transferList: [port2],
    });
    this.reports.on('message', (report: WriterReport) => options.onReport(report));
    this.worker.on('error', (error) => {
      if (!this.stopping) options.onExit(error);
    });
    this.worker.on('exit', (code) => {
      if (!this.stopping) options.onExit(new Error(`the store's writer thread exited with code ${code}`));
    });
    // Neither keeps the process alive: the store's close() stops the thread.
    this.worker.unref();
    this.reports.unref();
  }

  prepare(id: number, sql: string): void {
    this.worker.postMessage({ type: 'prepare', id, sql });
  }

  /** Hands a batch to the thread; returns its sequence number. With `notify`, a 'committed' report follows it. */
  submit(units: readonly WriteUnit[], notify = false): number {
    this.sent = (this.sent + 1) | 0;
    this.worker.postMessage({ type: 'batch', seq: this.sent, units, notify });
    return this.sent;
  }

  /** The newest batch the thread has committed (or given up on, with a report). */
  get committed(): number {
    return Atomics.load(this.cells, 0);
  }

  /**
   * Blocks until every submitted batch is committed, then delivers the thread's reports; true if
   * all were. Stops early (false) once a batch failed on storage: the batches queued behind it
   * would each wait out the lock, or fail on the full disk, in turn; the report says why.
   * `untilAll` waits for every batch regardless (a stop that must know what reached the file).
   */
  waitCommitted(untilAll = false): boolean {
    const target = this.sent;
    const deadline = Date.now() + FLUSH_TIMEOUT_MS;
    let all = true;
    for (let seen = this.committed; seen !== target; seen = this.committed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('the store\'s writer thread did not commit within 30 s');
      if (Atomics.load(this.cells, 1) === 2) throw new Error('the store\'s writer thread could not open the database');
      const failed = Atomics.load(this.cells, 2);
      if (failed !== this.failureSeen && !untilAll) {
        this.failureSeen = failed;
        all = false;
        break;
      }
      Atomics.wait(this.cells, 0, seen, Math.min(left, 100));
    }
    this.drainReports();
    return all;
  }

  /** Delivers every report the thread has posted so far (it posts a batch's reports before acknowledging it). */
  drainReports(): void {
    for (let m = receiveMessageOnPort(this.reports); m; m = receiveMessageOnPort(this.reports)) {
      this.options.onReport(m.message as WriterReport);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.drainReports();
    this.reports.close();
    await this.worker.terminate();
  }
}
