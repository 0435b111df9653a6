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
