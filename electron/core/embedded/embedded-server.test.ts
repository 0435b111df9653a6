import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../../server/start';
import { openCore, type CoreUnderTest } from '../test-support/core-fixture';
import { brokenSecretStore, xorSecretStore } from '../test-support/fake-secret-stores';
import { tempDir } from '../test-support/temp-dir';
import { storedEmbeddedKey } from '../test-support/stored-keys';
import type { StartServer } from './server-port';

describe('"This computer": the embedded server', () => {
  const open: CoreUnderTest[] = [];
  const dirs: { cleanup(): void }[] = [];
  const data = () => {
    const d = tempDir();
    dirs.push(d);
    return d.path;
  };
  const start = async (dataDir: string, options: Parameters<typeof openCore>[1] = {}) => {
    const c = await openCore(dataDir, options);
    open.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.core.close()));
    dirs.splice(0).forEach((d) => d.cleanup());
  });

  it('on first run adds "This computer", selected, and its server answers with the stored key', async () => {
    const dir = data();
    const { core, ok } = await start(dir);
    const state = await ok('accounts:list', {});
    expect(state.accounts).toHaveLength(1);
    const [account] = state.accounts;
    expect(account).toMatchObject({ name: 'This computer', embedded: true, color: 'teal', keyUsable: true });
    expect(state.selectedId).toBe(account?.id);
    expect(account?.baseUrl).toBe(core.embeddedServer.url());
    expect(account?.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const answer = await fetch(`${account?.baseUrl}/v1/partners?limit=1`, {
      headers: { 'x-api-key': storedEmbeddedKey(dir), 'anthropic-version': '2023-06-01' },
    });
    expect(answer.status).toBe(200);
    expect(await ok('partners:refresh', { accountId: account?.id ?? '' })).toMatchObject({ partners: [] });
  });

  it('on a later start reuses the account, its port and its key', async () => {
    const dir = data();
    const first = await start(dir);
    const before = (await first.ok('accounts:list', {})).accounts[0];
    await first.core.close();

    const second = await start(dir);
    const after = await second.ok('accounts:list', {});
    expect(after.accounts).toHaveLength(1);
    expect(after.accounts[0]?.id).toBe(before?.id);
    expect(second.core.embeddedServer.url()).toBe(before?.baseUrl);
    await second.ok('partners:refresh', { accountId: before?.id ?? '' });
  });

  it('moves to another port when the saved one is taken, and the account follows', async () => {
    const dir = data();
    const first = await start(dir);
    const before = (await first.ok('accounts:list', {})).accounts[0];
    await first.core.close();

    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(Number(new URL(before?.baseUrl ?? '').port), '127.0.0.1', r));
    try {
      const second = await start(dir);
      const moved = (await second.ok('accounts:list', {})).accounts[0];
      expect(moved?.baseUrl).not.toBe(before?.baseUrl);
      expect(moved?.baseUrl).toBe(second.core.embeddedServer.url());
      await second.ok('partners:refresh', { accountId: moved?.id ?? '' });
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it('keeps the core usable when the server cannot start, and the account shows offline', async () => {
    const dir = data();
    const first = await start(dir);
    const id = (await first.ok('accounts:list', {})).accounts[0]?.id ?? '';
    await first.core.close();

    const failing: StartServer = async () => {
      throw new Error('disk on fire');
    };
    const second = await start(dir, { startServer: failing });
    expect(second.core.embeddedServer.url()).toBeNull();
    expect((await second.ok('accounts:list', {})).accounts).toHaveLength(1);
    expect(await second.call('partners:refresh', { accountId: id })).toMatchObject({ ok: false, error: { code: 'offline' } });
  });

  it("starts its server as a guest in Electron's process: no rescheduling of the thread it shares (ownsProcess unset)", async () => {
    const seen: Parameters<StartServer>[0][] = [];
    const recording: StartServer = async (options) => {
      seen.push(options);
      return startServer(options);
    };
    const { core } = await start(data(), { startServer: recording });
    expect(core.embeddedServer.url()).not.toBeNull();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.ownsProcess).toBeUndefined();
  });

  it('adds the embedded account even when the vault is not secure (see embedded-server.ts)', async () => {
    const { ok } = await start(data(), { secrets: xorSecretStore({ secure: false }) });
    expect((await ok('accounts:list', {})).accounts[0]?.embedded).toBe(true);
  });

  it('still starts the server when its key no longer decrypts, and marks the account', async () => {
    const dir = data();
    await (await start(dir)).core.close();
    const second = await start(dir, { secrets: brokenSecretStore(), startServer });
    expect(second.core.embeddedServer.url()).not.toBeNull();
    expect((await second.ok('accounts:list', {})).accounts[0]?.keyUsable).toBe(false);
  });

  it('stop() takes the server away; refreshing then reports offline', async () => {
    const { core, ok, call } = await start(data());
    const id = (await ok('accounts:list', {})).accounts[0]?.id ?? '';
    await core.embeddedServer.stop();
    expect(core.embeddedServer.url()).toBeNull();
    expect(await call('partners:refresh', { accountId: id })).toMatchObject({ ok: false, error: { code: 'offline' } });
  });
});
