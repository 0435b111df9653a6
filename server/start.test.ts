/** startServer: admin key bootstrap, data dir handling, shutdown. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startServer, StartServerError, type RunningServer } from './start';
import { removeTempDirs, tempDir } from './test-support/harness';
import { REVOKED_ADMIN_KEY_MESSAGE } from './admin-bootstrap';
import { openSqliteStore } from './store/sqlite';

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof startServer>[0]) {
  const server = await startServer(options);
  running.push(server);
  return server;
}

const listWith = (server: RunningServer, key: string) =>
  fetch(`${server.url}/v1/partners`, { headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' } });

afterAll(removeTempDirs);

describe('admin key bootstrap', () => {
  it('generates a key on the first start only, and it keeps working', async () => {
    const dataDir = tempDir();
    const first = await start({ dataDir, port: 0 });
    expect(first.generatedAdminKey).toMatch(/^sk-ant-admin-[0-9A-Za-z]{43}$/);
    expect(first.url).toBe(`http://127.0.0.1:${first.port}`);
    await first.close();
    const second = await start({ dataDir, port: 0 });
    expect(second.generatedAdminKey).toBeNull();
    expect((await listWith(second, first.generatedAdminKey as string)).status).toBe(200);
  });

  it('registers a given key idempotently and generates none', async () => {
    const dataDir = tempDir();
    const adminKey = `sk-ant-admin-${'k'.repeat(32)}`;
    const first = await start({ dataDir, port: 0, adminKey });
    expect(first.generatedAdminKey).toBeNull();
    expect((await listWith(first, adminKey)).status).toBe(200);
    await first.close();
    const second = await start({ dataDir, port: 0, adminKey });
    expect((await listWith(second, adminKey)).status).toBe(200);
    await second.close();
    // Without the env key, a later start still prints none: an admin key exists.
    const third = await start({ dataDir, port: 0 });
    expect(third.generatedAdminKey).toBeNull();
  });

  it('rejects a malformed admin key without echoing it', async () => {
    const adminKey = 'sk-ant-admin-tooShortSecret';
    const error = await startServer({ dataDir: tempDir(), port: 0, adminKey }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartServerError);
    expect((error as StartServerError).code).toBe('admin_key');
    expect((error as Error).message).not.toContain('tooShortSecret');
  });
});

async function listAdminKeys(dataDir: string) {
  const store = openSqliteStore({ file: join(dataDir, 'partners.db') });
  try {
    return await store.adminKeys.list();
  } finally {
    await store.close();
  }
}

async function revokeAdminKey(dataDir: string, id: string) {
  const store = openSqliteStore({ file: join(dataDir, 'partners.db') });
  try {
    expect(await store.adminKeys.revoke(id, new Date().toISOString())).toBe('revoked');
  } finally {
    await store.close();
  }
}

describe('start failures', () => {
  it('reports an unusable data dir', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    const error = await startServer({ dataDir: join(file, 'sub'), port: 0 }).catch((e: unknown) => e);
    expect((error as StartServerError).code).toBe('data_dir');
    expect((error as Error).message).toBe(`cannot use data dir ${join(file, 'sub')}: a file is in the way where a directory is expected (ENOTDIR)`);
  });

  it('says in words that partners.db is not a database, and leaves the file as it was', async () => {
    const dataDir = tempDir();
    const garbage = 'these are notes, not a database\n'.repeat(200);
    writeFileSync(join(dataDir, 'partners.db'), garbage);
    const error = await startServer({ dataDir, port: 0 }).catch((e: unknown) => e);
    expect((error as StartServerError).code).toBe('data_dir');
    expect((error as Error).message).toBe(`cannot use data dir ${dataDir}: partners.db is not a database (is this a Partnerdesk data dir?) (SQLITE_NOTADB)`);
    expect(readFileSync(join(dataDir, 'partners.db'), 'utf8')).toBe(garbage);
  });

  it('reports a busy port and leaves the database closed', async () => {
    const first = await start({ dataDir: tempDir(), port: 0 });
    const dataDir = tempDir();
    const error = await startServer({ dataDir, port: first.port }).catch((e: unknown) => e);
    expect((error as StartServerError).code).toBe('port_in_use');
    expect((error as Error).message).toBe(`port ${first.port} on 127.0.0.1 is already in use`);
    // The store was closed: a new server can open the same data dir at once, and as the
    // failed start never printed a key, this one still mints (and prints) the first.
    const again = await start({ dataDir, port: 0 });
    expect(again.generatedAdminKey).toMatch(/^sk-ant-admin-[0-9A-Za-z]{43,}$/);
  });
});

describe('one server per data dir', () => {
  it('refuses a second server on a data dir in use, and starts once the first has stopped', async () => {
    const dataDir = tempDir();
    const first = await startServer({ dataDir, port: 0 });
    const error = await startServer({ dataDir, port: 0 }).catch((e: unknown) => e);
    expect((error as StartServerError).code).toBe('data_dir');
    expect((error as Error).message).toBe(`cannot use data dir ${dataDir}: another Partnerdesk server is using it (stop that one first)`);
    // The refused start touched nothing: the first still answers with its key.
    expect((await listWith(first, first.generatedAdminKey as string)).status).toBe(200);
    await first.close();
    const second = await start({ dataDir, port: 0 });
    expect((await listWith(second, first.generatedAdminKey as string)).status).toBe(200);
  });

  it('leaves the admin-keys CLI free to open the database beside a running server', async () => {
    const dataDir = tempDir();
    await start({ dataDir, port: 0 });
    expect((await listAdminKeys(dataDir)).length).toBe(1);
  });
});

describe('the operator key', () => {
  it('refuses to start with a PARTNERDESK_ADMIN_KEY that was revoked, rather than lock everyone out', async () => {
    const dataDir = tempDir();
    const adminKey = `sk-ant-admin-${'k'.repeat(40)}`;
    const first = await startServer({ dataDir, port: 0, adminKey });
    const [entry] = await listAdminKeys(dataDir);
    await first.close();
    await revokeAdminKey(dataDir, entry?.id ?? '');
    const error = await startServer({ dataDir, port: 0, adminKey }).catch((e: unknown) => e);
    expect((error as StartServerError).code).toBe('admin_key');
    expect((error as Error).message).toBe(REVOKED_ADMIN_KEY_MESSAGE);
    expect((error as Error).message).not.toContain(adminKey);
  });
});

describe('close', () => {
  it('finishes in-flight requests and is idempotent', async () => {
    const server = await startServer({ dataDir: tempDir(), port: 0 });
    const inflight = listWith(server, server.generatedAdminKey as string);
    await new Promise((r) => setTimeout(r, 5));
    await Promise.all([server.close(), server.close()]);
    expect((await inflight).status).toBe(200);
    await expect(fetch(`${server.url}/v1/partners`)).rejects.toThrow();
  });
});

describe('data dir', () => {
  it('is created with missing parents', async () => {
    const dataDir = join(tempDir(), 'a', 'b', 'c');
    const server = await start({ dataDir, port: 0 });
    expect(server.generatedAdminKey).not.toBeNull();
    // Private to its owner; the parents it had to create are not.
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, '..')).mode & 0o077).not.toBe(0);
  });
});
