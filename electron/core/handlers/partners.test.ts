import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, startRemoteServer, type CoreUnderTest } from '../test-support/core-fixture';
import { storedEmbeddedKey } from '../test-support/stored-keys';
import { tempDir } from '../test-support/temp-dir';

/** Every byte under a folder: cache .db, -wal, -shm, logs, and the embedded server's data. */
function allBytes(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    out += statSync(path).isDirectory() ? allBytes(path) : readFileSync(path).toString('latin1');
  }
  return out;
}

describe('partners', () => {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  const data = () => {
    const d = tempDir();
    closers.push(d.cleanup);
    return d.path;
  };
  const core = async (dataDir: string): Promise<CoreUnderTest> => {
    const c = await openCore(dataDir);
    closers.push(() => c.core.close());
    return c;
  };
  const thisComputer = async (c: CoreUnderTest) => (await c.ok('accounts:list', {})).accounts[0]?.id ?? '';

  it('refreshes from the server, then serves the same list from the cache with its sync time', async () => {
    const c = await core(data());
    const id = await thisComputer(c);
    expect(await c.ok('partners:cached', { accountId: id })).toEqual({ accountId: id, partners: [], syncedAt: null });
    for (const name of ['One', 'Two', 'Three']) {
      await c.ok('partners:create', { accountId: id, partner: { name, permissions: ['messages:write'] } });
    }
    const fresh = await c.ok('partners:refresh', { accountId: id });
    expect(fresh.partners.map((p) => p.name)).toEqual(['Three', 'Two', 'One']);
    expect(fresh.syncedAt).not.toBeNull();
    const cached = await c.ok('partners:cached', { accountId: id });
    expect(cached).toEqual(fresh);
    expect(JSON.parse(JSON.stringify(cached))).toEqual(cached);
    expect((await c.ok('accounts:list', {})).accounts[0]?.lastSyncedAt).toBe(fresh.syncedAt);
  });

  it('reports offline on refresh when the server is gone, and leaves the cache as it was', async () => {
    const c = await core(data());
    const id = await thisComputer(c);
    await c.ok('partners:create', { accountId: id, partner: { name: 'Kept', permissions: ['messages:write'] } });
    const before = await c.ok('partners:refresh', { accountId: id });
    await c.core.embeddedServer.stop();
    const result = await c.call('partners:refresh', { accountId: id });
    expect(result).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(await c.ok('partners:cached', { accountId: id })).toEqual(before);
  });

  it('creates a partner: returns its key once, caches the partner, and writes no key anywhere', async () => {
    const dir = data();
    const c = await core(dir);
    const id = await thisComputer(c);
    const remote = await startRemoteServer(data());
    closers.push(() => remote.close());
    await c.ok('accounts:add', { name: 'Remote', baseUrl: remote.url, adminKey: remote.adminKey });

    const created = await c.ok('partners:create', {
      accountId: id,
      partner: { name: 'Agent', permissions: ['messages:write', 'messages:read'], max_tokens_per_month: 5000 },
    });
    expect(created.apiKey).toMatch(/^sk-ant-partner-/);
    expect(created.partner).toMatchObject({ name: 'Agent', max_tokens_per_month: 5000 });
    expect(created.partner).not.toHaveProperty('api_key');
    expect((await c.ok('partners:cached', { accountId: id })).partners).toEqual([created.partner]);

    expect(existsSync(join(dir, 'partnerdesk.db-wal'))).toBe(true);
    expect(readFileSync(c.logger.path, 'utf8')).toContain('partner created');
    const secrets = [created.apiKey, remote.adminKey, created.apiKey.slice('sk-ant-partner-'.length)];
    for (const bytes of [allBytes(dir), readFileSync(c.logger.path, 'latin1')]) {
      for (const secret of secrets) expect(bytes).not.toContain(secret);
    }
    await c.core.close();
    // Only now readable without the vault: the embedded admin key must not be on disk either.
    secrets.push(storedEmbeddedKey(dir));
    const logText = readFileSync(c.logger.path, 'utf8');
    expect(logText).toContain('embedded server');
    for (const secret of secrets) {
      expect(allBytes(dir)).not.toContain(secret);
      expect(logText).not.toContain(secret);
    }
  });

  it('checks the partner against the server rules first, naming the field', async () => {
    const c = await core(data());
    const id = await thisComputer(c);
    const past = await c.call('partners:create', {
      accountId: id,
      partner: { name: 'Old', permissions: ['messages:write'], expires_at: '2001-01-01T00:00:00Z' },
    });
    expect(past).toEqual({
      ok: false,
      error: { code: 'invalid_input', field: 'partner.expires_at', message: 'partner.expires_at: must be in the future' },
    });
    const unknown = await c.call('partners:create', { accountId: id, partner: { name: 'X', permissions: ['root'] } });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'partner.permissions[0]' } });
    expect((await c.ok('partners:refresh', { accountId: id })).partners).toEqual([]);
  });

  it('keeps each account to its own partners', async () => {
    const c = await core(data());
    const local = await thisComputer(c);
    const remote = await startRemoteServer(data());
    closers.push(() => remote.close());
    const state = await c.ok('accounts:add', { name: 'Remote', baseUrl: remote.url, adminKey: remote.adminKey });
    const other = state.accounts.find((a) => !a.embedded)?.id ?? '';

    await c.ok('partners:create', { accountId: local, partner: { name: 'Local bot', permissions: ['messages:write'] } });
    await c.ok('partners:create', { accountId: other, partner: { name: 'Remote bot', permissions: ['messages:write'] } });
    await c.ok('partners:refresh', { accountId: local });
    await c.ok('partners:refresh', { accountId: other });

    expect((await c.ok('partners:cached', { accountId: local })).partners.map((p) => p.name)).toEqual(['Local bot']);
    expect((await c.ok('partners:cached', { accountId: other })).partners.map((p) => p.name)).toEqual(['Remote bot']);
  });
});
