import { describe, expect, it } from 'vitest';
import { account, accountsState, fail, fakeApi, ok, partner } from '../../test/fake-api';
import { createAppStore } from './store';

const KEY = `sk-ant-partner-${'k'.repeat(43)}`;

describe('app store', () => {
  it('boots with the vault status and accounts, then reads the cache before refreshing', async () => {
    const fake = fakeApi({
      'vault:status': () => ok({ secure: true, backend: 'macOS Keychain' }),
      'accounts:list': () => ok(accountsState([account()], 'acct_local')),
      'partners:cached': ({ accountId }) => ok({ accountId, syncedAt: null, partners: [] }),
      'partners:refresh': ({ accountId }) => ok({ accountId, syncedAt: '2026-03-03T12:00:00Z', partners: [] }),
    });
    const store = createAppStore(fake.api);
    await store.getState().init();
    expect(fake.calls.map((c) => c.channel)).toEqual(['vault:status', 'accounts:list', 'partners:cached', 'partners:refresh']);
    const state = store.getState();
    expect(state.boot).toBe('ready');
    expect(state.vault).toEqual({ secure: true, backend: 'macOS Keychain' });
    expect(state.lists.acct_local).toEqual({
      view: { accountId: 'acct_local', syncedAt: '2026-03-03T12:00:00Z', partners: [] },
      phase: 'ready',
      refreshError: null,
    });
    expect(state.accounts[0]?.lastSyncedAt).toBe('2026-03-03T12:00:00Z');
  });

  it('reports a failed boot', async () => {
    const fake = fakeApi({
      'vault:status': () => ok({ secure: true, backend: 'x' }),
      'accounts:list': () => fail({ code: 'offline', message: 'Lost contact' }),
    });
    const store = createAppStore(fake.api);
    await store.getState().init();
    expect(store.getState()).toMatchObject({ boot: 'failed', bootError: { code: 'offline', message: 'Lost contact' } });
  });

  it('holds a new key only until it is cleared', async () => {
    const created = partner({ name: 'New one' });
    const fake = fakeApi({
      'partners:create': () => ok({ partner: created, apiKey: KEY }),
    });
    const store = createAppStore(fake.api);
    const result = await store.getState().createPartner('acct_local', { name: 'New one', permissions: ['messages:write'] });
    expect(result.ok).toBe(true);
    expect(store.getState().revealedKey).toEqual({ partnerName: 'New one', apiKey: KEY });
    expect(store.getState().lists.acct_local?.view?.partners).toEqual([created]);

    store.getState().clearRevealedKey();
    expect(store.getState().revealedKey).toBeNull();
    expect(JSON.stringify(store.getState())).not.toContain(KEY);
  });

  it('leaves the list and key alone when creation fails', async () => {
    const fake = fakeApi({
      'partners:create': () => fail({ code: 'invalid_input', field: 'name', message: 'name: must not be empty' }),
    });
    const store = createAppStore(fake.api);
    const result = await store.getState().createPartner('acct_local', { name: '' });
    expect(result).toEqual({ ok: false, error: { code: 'invalid_input', field: 'name', message: 'name: must not be empty' } });
    expect(store.getState().revealedKey).toBeNull();
    expect(store.getState().lists).toEqual({});
  });
});
