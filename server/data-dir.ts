/**
 * Creates the data dir if missing and checks it is writable. Not `mkdirSync({recursive})`:
 * on Node 20 that loops forever on some paths (e.g. under /proc), which would hang a start
 * instead of failing it with a clear message.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * A data dir this call creates is private to its owner (0700): it holds the audit trail and
 * key hashes. Parents it has to create get the usual permissions.
 */
export function ensureWritableDir(dir: string, mode = 0o700): void {
  const path = resolve(dir);
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const parent = dirname(path);
    if (parent !== path) ensureWritableDir(parent, 0o777);
    mkdirSync(path, { mode });
    return;
  }
  if (!stats.isDirectory()) throw Object.assign(new Error(`${path} is not a directory`), { code: 'ENOTDIR' });
  accessSync(path, constants.W_OK);
}

/** What each failure means for a data dir, in words; the code stays in brackets for searching. */
const DATA_DIR_PROBLEMS: Record<string, string> = {
  ENOTDIR: 'a file is in the way where a directory is expected',
  EEXIST: 'a file is in the way where a directory is expected',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOENT: 'the path cannot be created',
  ENOSPC: 'the disk is full',
  SQLITE_FULL: 'the disk is full',
  SQLITE_READONLY: 'the database is read-only (check the permissions of the data dir and partners.db)',
  SQLITE_NOTADB: 'partners.db is not a database (is this a Partnerdesk data dir?)',
  SQLITE_CORRUPT: 'partners.db is damaged',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  SQLITE_IOERR: 'reading or writing the disk failed',
};

/** Why a data dir cannot be used, for a person: `permission denied (EACCES)`, not a bare code. */
export function dataDirProblem(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (typeof code !== 'string') return text;
  // SQLite's extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED…) share their base's meaning.
  const base = Object.keys(DATA_DIR_PROBLEMS).find((known) => code === known || code.startsWith(`${known}_`));
  return base ? `${DATA_DIR_PROBLEMS[base]} (${code})` : `${text} (${code})`;
}
