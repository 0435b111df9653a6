import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp-dir';
import { AccountsRepo } from './accounts-repo';
import { applyMigrations, openCache } from './db';
import { MIGRATIONS } from './migrations';

const clock = () => new Date('2026-03-01T00:00:00Z');

describe('cache database', () => {
  const dirs: { cleanup(): void }[] = [];
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d.path;
  };
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

  it('applies every migration once, in WAL mode, and reopening changes nothing', () => {
    const path = dir();
    const first = openCache({ dataDir: path, clock });
    expect(first.pragma('journal_mode', { simple: true })).toBe('wal');
    new AccountsRepo(first).insert({
      id: 'acct_1', name: 'A', color: 'blue', baseUrl: 'http://x', keyCiphertext: Buffer.from([1, 2]),
      keyHint: '…abcd', embedded: false, createdAt: clock().toISOString(),
    });
    first.close();

    const again = openCache({ dataDir: path, clock });
    expect(applyMigrations(again, MIGRATIONS, clock)).toEqual([]);
    const versions = again.prepare('SELECT version FROM schema_migrations').all();
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    expect(new AccountsRepo(again).list().map((a) => a.id)).toEqual(['acct_1']);
    again.close();
  });

  it('refuses a cache written by a newer app rather than guessing', () => {
    const path = dir();
    const db = openCache({ dataDir: path, clock });
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01T00:00:00Z')").run();
    db.close();
    expect(() => openCache({ dataDir: path, clock })).toThrow(/newer than this app/);
  });

  it('rolls a failing migration back whole', () => {
    const db = openCache({ dataDir: dir(), clock });
    const broken = [{ version: 2, name: 'half', sql: 'CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);' }];
    expect(() => applyMigrations(db, [...MIGRATIONS, ...broken], clock)).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 });
    db.close();
  });
});
