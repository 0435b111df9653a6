/** The SQLite store: WAL, numbered migrations in a transaction, idempotent reopen. */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { removeTempDirs, tempDir } from '../../test-support/harness';
import { MIGRATIONS, migrate } from './migrations';
import { CHECKPOINT_INTERVAL_MS, openSqliteStore } from './index';

afterAll(removeTempDirs);

describe('openSqliteStore', () => {
  it('uses WAL and records the schema version', async () => {
    const file = join(tempDir(), 'partners.db');
    const store = openSqliteStore({ file });
    await store.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)?.version);
    db.close();
    // Reopening applies nothing twice.
    const again = openSqliteStore({ file });
    expect(await again.adminKeys.count()).toBe(0);
    await again.close();
  });

  it('checkpoints the WAL on an unref\'d timer, off the request path, and stops it on close', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    try {
      const file = join(tempDir(), 'partners.db');
      const before = vi.getTimerCount();
      const store = openSqliteStore({ file });
      expect(vi.getTimerCount()).toBe(before + 1);
      await store.adminKeys.count();
      // Something in the WAL for the timer to copy back (a second connection: its own default limit).
      const writer = new Database(file);
      writer.pragma('wal_autocheckpoint = 0');
      writer.exec('CREATE TABLE scratch (x INTEGER)');
      for (let i = 0; i < 20; i++) writer.exec(`INSERT INTO scratch VALUES (${i})`);
      const grown = statSync(`${file}-wal`).size;
      vi.advanceTimersByTime(CHECKPOINT_INTERVAL_MS);
      // A write after a completed checkpoint starts the WAL over: its frame count drops.
      writer.exec('INSERT INTO scratch VALUES (-1)');
      const [after] = writer.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
      writer.close();
      expect(grown).toBeGreaterThan(0);
      expect(after!.log).toBeLessThan(5); // restarted after the timer's checkpoint; 22+ frames otherwise
      await store.close();
      expect(vi.getTimerCount()).toBe(before);
      vi.advanceTimersByTime(CHECKPOINT_INTERVAL_MS * 3); // a closed store: no tick, no error
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a database written by a newer server', () => {
    const file = join(tempDir(), 'partners.db');
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openSqliteStore({ file })).toThrow(`database schema version 999 is newer than this server supports (${MIGRATIONS.at(-1)?.version})`);
  });

  it('rolls a failed migration back entirely', () => {
    const db = new Database(':memory:');
    const broken = [
      { version: 1, sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, sql: 'CREATE TABLE b (x INTEGER); SELECT * FROM no_such_table;' },
    ];
    expect(() => migrate(db, broken)).toThrow(/no_such_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([]);
    db.close();
  });

  it('answers null for an unknown cursor', async () => {
    const store = openSqliteStore({ file: join(tempDir(), 'partners.db') });
    expect(await store.partners.list({ limit: 5, afterId: 'partner_nope' })).toBeNull();
    expect(await store.partners.list({ limit: 5 })).toEqual({ items: [], hasMore: false });
    await store.close();
  });
});
