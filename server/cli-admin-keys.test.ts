/** `npm run server -- admin-keys …` as a real child process, against the data dir of a running server. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminKeys } from './cli/admin-keys';
import { hashKey } from './keys';
import { expectError, removeTempDirs, startHarness, tempDir, type Harness } from './test-support/harness';

const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(TSX, ['server/cli.ts', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ dataDir: tempDir() });
});
afterAll(async () => {
  await h.stop();
  removeTempDirs();
});

describe('admin-keys on a running server', () => {
  it('creates a key that works at once, lists without secrets, revokes so the next request fails', async () => {
    const created = await cli('admin-keys', 'create', '--data-dir', h.dataDir, '--name', 'ci robot');
    expect(created.code).toBe(0);
    const lines = created.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^created admin key adminkey_[0-9A-Za-z]{24}$/);
    expect(lines[1]).toMatch(/^admin key: sk-ant-admin-[0-9A-Za-z]{43}$/);
    expect(lines[2]).toBe('(shown once: store it now; it cannot be read back)');
    const id = lines[0]!.slice('created admin key '.length);
    const key = lines[1]!.slice('admin key: '.length);
    expect((await h.call('GET', '/v1/partners', { key })).status).toBe(200);

    const listed = await cli('admin-keys', 'list', '--data-dir', h.dataDir);
    expect(listed.code).toBe(0);
    const rows = listed.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(rows[0]).toEqual(['ID', 'NAME', 'HINT', 'CREATED', 'REVOKED']);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([expect.stringMatching(/^adminkey_/), 'generated at first start', `…${h.adminKey.slice(-4)}`, '2026-06-15T12:00:00.000Z', '-']);
    expect(rows[2]).toEqual([id, 'ci robot', `…${key.slice(-4)}`, expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/), '-']);
    for (const secret of [key, h.adminKey, hashKey(key), hashKey(h.adminKey)]) expect(listed.stdout).not.toContain(secret);

    const revoked = await cli('admin-keys', 'revoke', id, '--data-dir', h.dataDir);
    expect(revoked).toEqual({ code: 0, stdout: `revoked admin key ${id}\n`, stderr: '' });
    expectError(await h.call('GET', '/v1/partners', { key }), 401, 'authentication_error', 'invalid x-api-key');
    expect((await h.call('GET', '/v1/partners')).status).toBe(200);

    const again = await inProcess('revoke', id, '--data-dir', h.dataDir);
    expect(again).toEqual({ code: 0, stdout: `admin key ${id} was already revoked\n`, stderr: '' });
    const after = await inProcess('list', '--data-dir', h.dataDir);
    expect(after.stdout.trim().split('\n')[2]?.split(/\s{2,}/)[4]).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  }, 60_000); // three child processes; slow on a loaded 2-core machine
});

/** The same entry the CLI calls, in-process: quick enough to cover every error path. */
async function inProcess(...args: string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await runAdminKeys(args, { out: (l) => (stdout += `${l}\n`), err: (l) => (stderr += `${l}\n`), now: () => new Date() });
  return { code, stdout, stderr };
}

describe('admin-keys errors and help', () => {
  it('says plainly what is wrong, with exit 1 for failures and 2 for bad usage', async () => {
    const missingDir = join(tempDir(), 'nowhere');
    expect(await inProcess('revoke', 'adminkey_nope', '--data-dir', h.dataDir)).toEqual({
      code: 1, stdout: '', stderr: 'error: no admin key with ID "adminkey_nope" (see admin-keys list)\n',
    });
    // A key pasted where the ID goes is not echoed.
    expect(await inProcess('revoke', `sk-ant-admin-${'D'.repeat(43)}`, '--data-dir', h.dataDir)).toEqual({
      code: 1, stdout: '', stderr: 'error: no admin key with ID "sk-ant-[redacted]" (see admin-keys list)\n',
    });
    expect(await inProcess('list', '--data-dir', missingDir)).toEqual({
      code: 1, stdout: '', stderr: `error: cannot use data dir ${missingDir}: no database at ${missingDir}/partners.db (check --data-dir)\n`,
    });
    const usage: [string[], string][] = [
      [['list'], 'list: --data-dir is required'],
      [['list', '--data-dir', h.dataDir, '--json'], "Unknown option '--json'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--json\""],
      [['--data-dir', h.dataDir], 'expected a command: create, list or revoke'],
      [['delete', 'x', '--data-dir', h.dataDir], 'unknown command "delete"; expected create, list or revoke'],
      [['revoke', '--data-dir', h.dataDir], 'revoke: expected the ID of the key to revoke'],
      [['list', 'extra', '--data-dir', h.dataDir], 'list: unexpected argument "extra"'],
      [['list', '--name', 'x', '--data-dir', h.dataDir], 'list: --name is only for create'],
      [['create', '--name', ' ', '--data-dir', h.dataDir], '--name: expected 1 to 100 printable characters'],
      [['create', '--name', 'a\tb', '--data-dir', h.dataDir], '--name: expected 1 to 100 printable characters'],
      [['create', '--name', `sk-ant-admin-${'E'.repeat(43)}`, '--data-dir', h.dataDir], '--name: looks like a key; expected a label such as "ci deploy"'],
      [['list', `sk-ant-admin-${'F'.repeat(43)}`, '--data-dir', h.dataDir], 'list: unexpected argument "sk-ant-[redacted]"'],
    ];
    for (const [args, message] of usage) {
      const r = await inProcess(...args);
      expect({ code: r.code, first: r.stderr.split('\n')[0], stdout: r.stdout }).toEqual({ code: 2, first: `error: admin-keys: ${message}`, stdout: '' });
      expect(r.stderr).toContain('Usage: npm run server -- admin-keys <command> --data-dir DIR');
    }
  });

  it('exits 2 from the real command line on bad usage', async () => {
    const r = await cli('admin-keys', 'rotate', '--data-dir', h.dataDir);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('error: admin-keys: unknown command "rotate"; expected create, list or revoke');
  });

  it('documents every subcommand in --help, and the server help points to it', async () => {
    const [help, serverHelp] = await Promise.all([cli('admin-keys', '--help'), cli('--help')]);
    expect(help.code).toBe(0);
    for (const text of ['create --data-dir DIR [--name NAME]', 'list --data-dir DIR', 'revoke ID --data-dir DIR']) {
      expect(help.stdout).toContain(text);
      expect(serverHelp.stdout).toContain(`admin-keys ${text}`);
    }
  });
});
