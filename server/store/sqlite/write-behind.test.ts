/** The write-behind queue with its writer thread: commits there, reports failures, survives losing it. */
import Database from 'better-sqlite3';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../test-support/harness';
import { WriteBehind } from './write-behind';
import type { WriterThread } from './writer-thread';

afterAll(removeTempDirs);

function setUp(checkpointMs = 60_000, nativeBinding?: string, busyTimeoutMs = 5000) {
  const file = join(tempDir(), 'partners.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (x INTEGER PRIMARY KEY)');
  const errors: string[] = [];
  const writes = new WriteBehind(db, {
    onError: (error) => errors.push((error as Error).message),
    thread: { file, pragmas: ['wal_autocheckpoint = 0'], checkpointMs, busyWaitMs: busyTimeoutMs, ...(nativeBinding ? { nativeBinding } : {}) },
  });
  const insert = writes.statement('INSERT INTO t (x) VALUES (?)');
  const rows = () => db.prepare('SELECT x FROM t ORDER BY x').pluck().all();
  return { file, db, writes, insert, errors, rows };
}

/** The writer thread's worker, to stop it from outside as a crash would. */
const workerOf = (writes: WriteBehind) => Reflect.get(Reflect.get(writes, 'thread') as WriterThread, 'worker') as Worker;

describe('WriteBehind with its writer thread', () => {
  it('commits queued units in the thread and flush() returns once they are in the file', async () => {
    const { db, writes, insert, rows } = setUp();
    writes.enqueue([insert, [1]]);
    writes.enqueue([insert, [2]], [insert, [3]]);
    expect(writes.size).toBe(2);
    expect(rows()).toEqual([]); // nothing written on this connection
    writes.flush();
    expect(writes.size).toBe(0);
    expect(rows()).toEqual([1, 2, 3]);
    await writes.close();
    db.close();
  });

  it('commits on its own within the group-commit window', async () => {
    const { db, writes, insert, rows } = setUp();
    writes.enqueue([insert, [7]]);
    for (let i = 0; i < 100 && rows().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(rows()).toEqual([7]);
    await writes.close();
    db.close();
  });

  it('rolls a failing unit back whole, keeps the others of its batch, and reports the failure by the time flush returns', async () => {
    const { db, writes, insert, errors, rows } = setUp();
    writes.enqueue([insert, [1]]);
    // The second unit's second insert repeats a key: its first insert must not land either.
    writes.enqueue([insert, [2]], [insert, [1]]);
    writes.enqueue([insert, [3]]);
    writes.flush();
    expect(rows()).toEqual([1, 3]);
    expect(errors).toEqual(['UNIQUE constraint failed: t.x']);
    // The unit's own fault: dropped, not held, and storage is not considered failing.
    expect(writes.heldCount).toBe(0);
    expect(writes.storageFailure).toBeNull();
    await writes.close();
    db.close();
  });

  it('holds a batch locked out by another connection whole: one busy timeout for the batch, not one per unit', async () => {
    const { file, db, writes, insert, errors, rows } = setUp(60_000, undefined, 100);
    const blocker = new Database(file);
    blocker.exec('BEGIN IMMEDIATE');
    for (let x = 1; x <= 20; x++) writes.enqueue([insert, [x]]);
    const started = performance.now();
    writes.flush();
    const waited = performance.now() - started;
    blocker.exec('ROLLBACK');
    blocker.close();
    expect(writes.heldCount).toBe(20);
    expect(writes.storageFailure).toBe('database is locked (SQLITE_BUSY)');
    // Retried unit by unit, the 20 would have waited 21 × 100 ms before the flush returned.
    expect(waited).toBeLessThan(1000);
    // Retried every second (RETRY_MS) once the lock is gone.
    for (let i = 0; i < 100 && writes.storageFailure !== null; i++) await new Promise((r) => setTimeout(r, 50));
    expect(writes.storageFailure).toBeNull();
    writes.flush();
    expect(rows()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(errors).toEqual(['cannot record usage: database is locked (SQLITE_BUSY); the rows are kept and retried every 1 s']);
    await writes.close();
    db.close();
  });

  it('a flush behind a lock stops waiting at the first failed batch, not after every batch queued behind it', async () => {
    const { file, db, writes, insert, rows } = setUp(60_000, undefined, 200);
    const blocker = new Database(file);
    blocker.exec('BEGIN IMMEDIATE');
    // 2,048 units fill a batch, which is handed to the thread at once: ten batches queue there.
    const units = 10 * 2048;
    for (let x = 1; x <= units; x++) writes.enqueue([insert, [x]]);
    const started = performance.now();
    writes.flush();
    const waited = performance.now() - started;
    expect(writes.storageFailure).toBe('database is locked (SQLITE_BUSY)');
    // Waiting for all ten would take 10 × 200 ms.
    expect(waited).toBeLessThan(1000);
    blocker.exec('ROLLBACK');
    blocker.close();
    for (let i = 0; i < 200 && writes.storageFailure !== null; i++) await new Promise((r) => setTimeout(r, 50));
    expect(writes.storageFailure).toBeNull();
    writes.flush();
    expect(rows()).toHaveLength(units);
    await writes.close();
    db.close();
  }, 30_000);

  it('refuses a statement with bad SQL when it is declared, not at commit', async () => {
    const { db, writes } = setUp();
    expect(() => writes.statement('INSERT INTO no_such_table VALUES (1)')).toThrow('no such table: no_such_table');
    await writes.close();
    db.close();
  });

  it('takes its writes back and goes on writing here if the thread dies', async () => {
    const { db, writes, insert, errors, rows } = setUp();
    writes.enqueue([insert, [1]]);
    writes.flush();
    const worker = workerOf(writes);
    void worker.terminate();
    await once(worker, 'exit');
    expect(errors).toEqual(["the store's writer thread failed (the store's writer thread exited with code 1); writing on the main thread"]);
    writes.enqueue([insert, [2]]);
    writes.flush();
    expect(rows()).toEqual([1, 2]);
    expect(errors).toHaveLength(1);
    await writes.close();
    db.close();
  });

  it('writes here at once, without waiting out a timeout, if the thread cannot open the database', async () => {
    const { db, writes, insert, errors, rows } = setUp(60_000, join(tempDir(), 'no-such-binding.node'));
    writes.enqueue([insert, [1]]);
    const t0 = performance.now();
    writes.flush();
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(rows()).toEqual([1]);
    expect(errors).toEqual(["the store's writer thread failed (the store's writer thread could not open the database); writing on the main thread"]);
    await writes.close();
    db.close();
  });

  it('checkpoints the WAL in the thread', async () => {
    const { file, db, writes, insert } = setUp(50);
    for (let i = 0; i < 50; i++) writes.enqueue([insert, [i]]);
    writes.flush();
    // Every page but the header written by the switch to WAL is still in the WAL (no
    // autocheckpoint on either connection) until a checkpoint copies the pages back.
    expect(statSync(file).size).toBe(4096);
    let size = 4096;
    for (let i = 0; i < 100 && size === 4096; i++) {
      await new Promise((r) => setTimeout(r, 20));
      size = statSync(file).size;
    }
    expect(size).toBeGreaterThanOrEqual(2 * 4096); // schema page + the table's page
    await writes.close();
    db.close();
  });
});

describe('WriteBehind when storage fails (disk full)', () => {
  const FULL = 'database or disk is full (SQLITE_FULL)';

  /**
   * A real full disk, made small: past `max_page_count` SQLite fails a write with SQLITE_FULL
   * exactly as on a full disk. Deleting the filler rows frees pages inside the file, which is
   * "someone made room": the next write fits without growing the file.
   */
  function fullStore(threaded: boolean, closeRetryMs = 200) {
    const file = join(tempDir(), 'partners.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x INTEGER PRIMARY KEY, pad BLOB); CREATE TABLE filler (b BLOB)');
    for (let i = 0; i < 30; i++) db.prepare('INSERT INTO filler (b) VALUES (zeroblob(3000))').run();
    const pages = db.pragma('page_count', { simple: true }) as number;
    const limit = `max_page_count = ${pages}`;
    if (!threaded) db.pragma(limit);
    const errors: string[] = [];
    const recovered: string[] = [];
    const notices: string[] = [];
    const writes = new WriteBehind(db, {
      onError: (error) => errors.push((error as Error).message),
      onRecovered: (message) => recovered.push(message),
      onNotice: (message) => notices.push(message),
      retryMs: 50,
      closeRetryMs,
      ...(threaded ? { thread: { file, pragmas: [limit], checkpointMs: 60_000, busyWaitMs: 5000 } } : {}),
    });
    // Rows of 5,000 bytes need an overflow page each: the very first one already does not fit.
    const insert = writes.statement('INSERT INTO t (x, pad) VALUES (?, zeroblob(5000))');
    const rows = () => db.prepare('SELECT x FROM t ORDER BY x').pluck().all();
    const makeRoom = () => db.exec('DELETE FROM filler');
    return { db, writes, insert, errors, notices, recovered, rows, makeRoom };
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it.each([
    ['in the writer thread', true],
    ['on the main connection', false],
  ])('%s: holds the failed units, says why once, retries until there is room, then writes them all', async (_where, threaded) => {
    const { db, writes, insert, errors, recovered, rows, makeRoom } = fullStore(threaded);
    expect(writes.storageFailure).toBeNull();
    writes.enqueue([insert, [1]]);
    writes.enqueue([insert, [2]], [insert, [3]]);
    writes.flush();
    expect(rows()).toEqual([]);
    expect(writes.storageFailure).toBe(FULL);
    expect(writes.heldCount).toBe(2);
    expect(errors).toEqual([`cannot record usage: ${FULL}; the rows are kept and retried every 0.05 s`]);

    // Retries (every 50 ms) keep failing while the disk is full, without a report each time.
    writes.enqueue([insert, [4]]);
    await sleep(300);
    expect(writes.storageFailure).toBe(FULL);
    expect(rows()).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(recovered).toEqual([]);

    makeRoom();
    for (let i = 0; i < 100 && writes.storageFailure !== null; i++) await sleep(20);
    expect(writes.storageFailure).toBeNull();
    expect(writes.heldCount).toBe(0);
    expect(rows()).toEqual([1, 2, 3, 4]);
    expect(recovered).toEqual([`usage is recorded again (the storage failed with: ${FULL})`]);
    expect(errors).toHaveLength(1);
    await writes.close();
    db.close();
  });

  it('keeps retrying at close, so writes held when the stop began land once there is room', async () => {
    const { db, writes, insert, errors, notices, recovered, rows, makeRoom } = fullStore(true, 10_000);
    writes.enqueue([insert, [1]]);
    writes.enqueue([insert, [2]]);
    writes.flush();
    const closing = writes.close();
    await sleep(150);
    expect(rows()).toEqual([]);
    makeRoom();
    await closing;
    expect(rows()).toEqual([1, 2]);
    expect(errors).toEqual([`cannot record usage: ${FULL}; the rows are kept and retried every 0.05 s`]);
    expect(notices).toEqual([`closing while usage waits for storage (${FULL}); retrying for up to 10 s`]);
    expect(recovered).toEqual([`usage is recorded again (the storage failed with: ${FULL})`]);
    db.close();
  });

  it('says at close how many writes never reached the file when storage never came back', async () => {
    const { db, writes, insert, errors, notices } = fullStore(true);
    writes.enqueue([insert, [1]]);
    writes.enqueue([insert, [2]]);
    writes.flush();
    await writes.close();
    expect(errors).toEqual([
      `cannot record usage: ${FULL}; the rows are kept and retried every 0.05 s`,
      `closing with 2 queued writes that never reached the file: ${FULL}`,
    ]);
    expect(notices).toEqual([`closing while usage waits for storage (${FULL}); retrying for up to 0.2 s`]);
    db.close();
  });
});
