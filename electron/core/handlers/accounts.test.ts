import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { noEmbeddedServer, openCore, startRemoteServer, type CoreUnderTest } from '../test-support/core-fixture';
import { brokenSecretStore, xorSecretStore } from '../test-support/fake-secret-stores';
import { tempDir } from '../test-support/temp-dir';

describe('accounts', () => {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  const data = () => {
    const d = tempDir();
    closers.push(d.cleanup);
    return d.path;
  };
  const core = async (dataDir: string, options: Parameters<typeof openCore>[1] = {}): Promise<CoreUnderTest> => {
    const c = await openCore(dataDir, { startServer: noEmbeddedServer, ...options });
    closers.push(() => c.core.close());
    return c;
  };
  const remote = async () => {
    const r = await startRemoteServer(data());
    closers.push(() => r.close());
    return r;
  };

  it('adds an account after checking the server, switches to it, and shows only a hint', async () => {
    const server = await remote();
    const { ok } = await core(data());
    const state = await ok('accounts:add', { name: 'Acme', baseUrl: `${server.url}/`, adminKey: server.adminKey });
    expect(state.accounts).toHaveLength(1);
    const [account] = state.accounts;
    expect(account).toMatchObject({
      name: 'Acme', baseUrl: server.url, keyHint: `…${server.adminKey.slice(-4)}`, embedded: false, keyUsable: true,
      lastSyncedAt: null,
    });
    expect(state.selectedId).toBe(account?.id);
    expect(JSON.stringify(state)).not.toContain(server.adminKey);

    const other = await remote();
    const second = await ok('accounts:add', { name: 'Beta', baseUrl: other.url, adminKey: other.adminKey, color: 'grape' });
    expect(second.selectedId).toBe(second.accounts[1]?.id);
    expect(second.accounts.map((a) => [a.name, a.color])).toEqual([['Acme', 'blue'], ['Beta', 'grape']]);
    const selected = await ok('accounts:select', { accountId: account?.id ?? '' });
    expect(selected.selectedId).toBe(account?.id);
  });

  it('refuses a server that is already added, before calling it', async () => {
    const server = await remote();
    const { call, ok } = await core(data());
    await ok('accounts:add', { name: 'Acme', baseUrl: server.url, adminKey: server.adminKey });
    const result = await call('accounts:add', { name: 'Again', baseUrl: `${server.url}/`, adminKey: server.adminKey });
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid_input', field: 'baseUrl', message: 'This server is already added as "Acme"' },
    });
    expect((await ok('accounts:list', {})).accounts.map((a) => a.name)).toEqual(['Acme']);
  });

  it('says plainly when the URL is not a Partners API server', async () => {
    const site = createHttpServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    const port = (site.address() as AddressInfo).port;
    try {
      const { call } = await core(data());
      const result = await call('accounts:add', {
        name: 'Blog', baseUrl: `http://127.0.0.1:${port}`, adminKey: `sk-ant-admin-${'a'.repeat(40)}`,
      });
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'invalid_input',
          field: 'baseUrl',
          status: 404,
          message: `127.0.0.1:${port} does not look like a Partners API server (GET /v1/partners answered 404). Check the URL.`,
        },
      });
    } finally {
      site.closeAllConnections();
      await new Promise((r) => site.close(r));
    }
  });

  it('reports a wrong key as unauthorized and saves nothing', async () => {
    const server = await remote();
    const { call, ok } = await core(data());
    const wrongKey = `${server.adminKey.slice(0, -4)}zzzz`;
    const result = await call('accounts:add', { name: 'Acme', baseUrl: server.url, adminKey: wrongKey });
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized', status: 401 } });
    expect(JSON.stringify(result)).not.toContain(wrongKey);
    expect((await ok('accounts:list', {})).accounts).toEqual([]);
  });

  it('reports an unreachable URL as offline', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const { call } = await core(data());
    const result = await call('accounts:add', {
      name: 'Gone', baseUrl: `http://127.0.0.1:${port}`, adminKey: `sk-ant-admin-${'a'.repeat(40)}`,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'offline' } });
    if (!result.ok) expect(result.error.message).toContain(`Can't reach 127.0.0.1:${port}`);
  });

  it('asks for consent before storing a key in an insecure vault', async () => {
    const server = await remote();
    const { call } = await core(data(), { secrets: xorSecretStore({ secure: false }) });
    expect(await call('vault:status', {})).toEqual({ ok: true, value: { secure: false, backend: 'no OS encryption (basic_text)' } });
    const input = { name: 'Acme', baseUrl: server.url, adminKey: server.adminKey };
    const refused = await call('accounts:add', input);
    expect(refused).toMatchObject({ ok: false, error: { code: 'insecure_storage' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/no encryption/);
    const agreed = await call('accounts:add', { ...input, allowInsecureStorage: true });
    expect(agreed.ok).toBe(true);
  });

  it('marks an account whose key no longer decrypts, keeps its cache, and answers needs_key', async () => {
    const server = await remote();
    const dir = data();
    const first = await core(dir);
    const id = (await first.ok('accounts:add', { name: 'Acme', baseUrl: server.url, adminKey: server.adminKey })).accounts[0]?.id ?? '';
    await first.ok('partners:create', { accountId: id, partner: { name: 'Bot', permissions: ['messages:write'] } });
    await first.core.close();

    const moved = await core(dir, { secrets: brokenSecretStore() });
    expect((await moved.ok('accounts:list', {})).accounts[0]?.keyUsable).toBe(false);
    expect((await moved.ok('partners:cached', { accountId: id })).partners.map((p) => p.name)).toEqual(['Bot']);
    const refresh = await moved.call('partners:refresh', { accountId: id });
    expect(refresh).toMatchObject({ ok: false, error: { code: 'needs_key' } });
    const create = await moved.call('partners:create', { accountId: id, partner: { name: 'X', permissions: ['messages:write'] } });
    expect(create).toMatchObject({ ok: false, error: { code: 'needs_key' } });
  });

  it('answers unknown_account for an id it does not have', async () => {
    const { call } = await core(data());
    expect(await call('accounts:select', { accountId: 'acct_nope' })).toMatchObject({ ok: false, error: { code: 'unknown_account' } });
    expect(await call('partners:cached', { accountId: 'acct_nope' })).toMatchObject({ ok: false, error: { code: 'unknown_account' } });
  });
});
