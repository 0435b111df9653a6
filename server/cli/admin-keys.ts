/**
 * `npm run server -- admin-keys …`: mint, list and revoke admin keys in a data dir. It opens the
 * same database a running server uses (WAL allows both); the server reads admin keys on every
 * request, so a revoked key stops working at once without a restart.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dataDirProblem, ensureWritableDir } from '../data-dir';
import { hashKey, keyHint, newAdminKey, newAdminKeyId } from '../keys';
import { looksLikeKey, redactKeys } from '../redact';
import { openSqliteStore } from '../store/sqlite';
import type { Store } from '../store/types';

export const ADMIN_KEYS_USAGE = `Usage: npm run server -- admin-keys <command> --data-dir DIR

Manages the admin keys (sk-ant-admin-…) of a server's data dir. Safe while the server runs:
it checks keys against the database on every request.

Commands:
  create --data-dir DIR [--name NAME]   mint a new admin key and print it once
  list --data-dir DIR                   every key: id, name, hint, created, revoked (never a key)
  revoke ID --data-dir DIR              revoke a key; it stops working on the next request

Options:
  --data-dir DIR   the server's data dir (required; holds partners.db)
  --name NAME      a label for a new key (default "created with the CLI")
  -h, --help       show this help
`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  now: () => Date;
}

class AdminKeysUsageError extends Error {}

interface Parsed {
  command: 'create' | 'list' | 'revoke' | 'help';
  dataDir: string;
  name?: string;
  id?: string;
}

function parse(argv: string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new AdminKeysUsageError((error as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { command: 'help', dataDir: '' };
  const [command, ...rest] = positionals;
  if (command !== 'create' && command !== 'list' && command !== 'revoke') {
    throw new AdminKeysUsageError(command === undefined ? 'expected a command: create, list or revoke' : `unknown command "${command}"; expected create, list or revoke`);
  }
  const wanted = command === 'revoke' ? 1 : 0;
  if (command === 'revoke' && rest.length === 0) throw new AdminKeysUsageError('revoke: expected the ID of the key to revoke');
  if (rest.length > wanted) throw new AdminKeysUsageError(`${command}: unexpected argument "${rest[wanted]}"`);
  if (v.name !== undefined && command !== 'create') throw new AdminKeysUsageError(`${command}: --name is only for create`);
  if (v['data-dir'] === undefined || v['data-dir'] === '') throw new AdminKeysUsageError(`${command}: --data-dir is required`);
  // eslint-disable-next-line no-control-regex -- refusing control characters on purpose
  if (v.name !== undefined && (v.name.trim() === '' || v.name.length > 100 || /[\u0000-\u001f\u007f]/.test(v.name))) {
    throw new AdminKeysUsageError('--name: expected 1 to 100 printable characters');
  }
  // Names are listed in plain text: a key pasted here would be stored where anyone can read it.
  if (v.name !== undefined && looksLikeKey(v.name)) throw new AdminKeysUsageError('--name: looks like a key; expected a label such as "ci deploy"');
  return { command, dataDir: v['data-dir'], ...(v.name !== undefined ? { name: v.name } : {}), ...(rest[0] !== undefined ? { id: rest[0] } : {}) };
}

function open(parsed: Parsed): Store {
  const file = join(parsed.dataDir, 'partners.db');
  // Listing or revoking in a mistyped dir must not quietly create an empty database there.
  if (parsed.command !== 'create' && !existsSync(file)) throw new Error(`no database at ${file} (check --data-dir)`);
  ensureWritableDir(parsed.dataDir);
  return openSqliteStore({ file });
}

async function run(store: Store, parsed: Parsed, io: CliIo): Promise<number> {
  const now = io.now().toISOString();
  if (parsed.command === 'create') {
    const key = newAdminKey();
    const id = newAdminKeyId();
    await store.adminKeys.ensure({ id, name: parsed.name ?? 'created with the CLI', keyHash: hashKey(key), keyHint: keyHint(key), createdAt: now });
    io.out(`created admin key ${id}`);
    io.out(`admin key: ${key}`);
    io.out('(shown once: store it now; it cannot be read back)');
    return 0;
  }
  if (parsed.command === 'list') {
    const keys = await store.adminKeys.list();
    const rows = [['ID', 'NAME', 'HINT', 'CREATED', 'REVOKED'], ...keys.map((k) => [k.id, k.name, k.keyHint, k.createdAt, k.revokedAt ?? '-'])];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
    for (const r of rows) io.out(r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
    return 0;
  }
  const id = parsed.id as string;
  const outcome = await store.adminKeys.revoke(id, now);
  if (outcome === 'not_found') {
    io.err(`error: no admin key with ID "${id}" (see admin-keys list)`);
    return 1;
  }
  io.out(outcome === 'revoked' ? `revoked admin key ${id}` : `admin key ${id} was already revoked`);
  return 0;
}

/** Runs one subcommand; returns the exit code (0 ok, 1 failure, 2 bad usage). */
export async function runAdminKeys(argv: string[], cliIo: CliIo): Promise<number> {
  // Errors quote arguments back (an unknown ID, a stray word): never a key typed in their place.
  const io: CliIo = { ...cliIo, err: (line) => cliIo.err(redactKeys(line)) };
  let parsed: Parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (!(error instanceof AdminKeysUsageError)) throw error;
    io.err(`error: admin-keys: ${error.message}\n\n${ADMIN_KEYS_USAGE}`);
    return 2;
  }
  if (parsed.command === 'help') {
    io.out(ADMIN_KEYS_USAGE);
    return 0;
  }
  let store: Store;
  try {
    store = open(parsed);
  } catch (error) {
    io.err(`error: cannot use data dir ${parsed.dataDir}: ${dataDirProblem(error)}`);
    return 1;
  }
  try {
    return await run(store, parsed, io);
  } finally {
    await store.close();
  }
}
