import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../test-support/harness';
import { DataDirInUseError, holdExclusively, takeOwnerLock } from './owner-lock';

afterAll(removeTempDirs);

describe('owner lock', () => {
  it('is held until released; a second taker is refused meanwhile', () => {
    const dbFile = join(tempDir(), 'partners.db');
    const release = takeOwnerLock(dbFile);
    expect(() => takeOwnerLock(dbFile)).toThrow(DataDirInUseError);
    release();
    const again = takeOwnerLock(dbFile);
    again();
  });

  it('refuses a lock file it could open only read-only, instead of locking nothing', () => {
    const dbFile = join(tempDir(), 'partners.db');
    takeOwnerLock(dbFile)(); // leaves a valid lock file behind
    // As root a 0444 file is still writable, so the read-only open SQLite falls back to is made directly.
    const readOnly = new Database(`${dbFile}.owner-lock`, { readonly: true, timeout: 0 });
    try {
      expect(() => holdExclusively(readOnly)).toThrow(
        'partners.db.owner-lock is read-only, so no lock keeps a second server off this data dir (check its permissions)',
      );
    } finally {
      readOnly.close();
    }
  });

  it('names a lock file that is not a database, and what to do', () => {
    const dbFile = join(tempDir(), 'partners.db');
    writeFileSync(`${dbFile}.owner-lock`, 'not a database '.repeat(300));
    expect(() => takeOwnerLock(dbFile)).toThrow(
      "partners.db.owner-lock is not a lock file this server wrote (delete it; a running server's lock file is never damaged)",
    );
  });
});
