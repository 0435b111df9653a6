import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNEL_PREFIX, IPC_CHANNELS } from '../../shared/ipc';
import type { IpcHandlers } from '../core/api';

type Listener = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>;
const ipcMain = vi.hoisted(() => {
  const listeners = new Map<string, Listener>();
  return {
    listeners,
    handle: vi.fn((channel: string, listener: Listener) => {
      if (listeners.has(channel)) throw new Error(`second handler for ${channel}`);
      listeners.set(channel, listener);
    }),
    removeHandler: vi.fn((channel: string) => listeners.delete(channel)),
  };
});
vi.mock('electron', () => ({ ipcMain }));

const { bindIpc, FORBIDDEN } = await import('./ipc-binding');

const APP_URL = 'file:///app/out/renderer/index.html';
const state = { accounts: [], selectedId: 'acc_1' };

function fakeHandlers(): IpcHandlers {
  const fail = async () => {
    throw new Error('not used in this test');
  };
  return {
    'vault:status': async () => ({ secure: true, backend: 'macOS Keychain' }),
    'accounts:list': fail,
    'accounts:add': fail,
    'accounts:select': vi.fn(async ({ accountId }) => ({ ...state, selectedId: accountId })),
    'partners:cached': fail,
    'partners:refresh': fail,
    'partners:create': fail,
  };
}

const mainFrame = { url: APP_URL, parent: null };
const ownContents = { isDestroyed: () => false, mainFrame } as unknown as WebContents;
const policy = { ownWebContents: () => ownContents, isAppUrl: (url: string) => url === APP_URL };

function event(sender: unknown, frame: unknown = mainFrame): IpcMainInvokeEvent {
  return { sender, senderFrame: frame } as IpcMainInvokeEvent;
}

function call(channel: string, ev: IpcMainInvokeEvent, input: unknown): Promise<unknown> {
  const listener = ipcMain.listeners.get(CHANNEL_PREFIX + channel);
  if (!listener) throw new Error(`no handler for ${channel}`);
  return listener(ev, input);
}

beforeEach(() => {
  ipcMain.listeners.clear();
  vi.clearAllMocks();
});

describe('bindIpc', () => {
  it("registers exactly the contract's channels, each with the prefix, and removes them again", () => {
    const unbind = bindIpc(fakeHandlers(), policy);
    expect([...ipcMain.listeners.keys()].sort()).toEqual(IPC_CHANNELS.map((c) => `partnerdesk:${c}`).sort());
    expect(ipcMain.handle).toHaveBeenCalledTimes(IPC_CHANNELS.length);

    unbind();
    expect(ipcMain.listeners.size).toBe(0);
  });

  it('passes valid input to dispatch and returns its envelope', async () => {
    const handlers = fakeHandlers();
    bindIpc(handlers, policy);
    await expect(call('accounts:select', event(ownContents), { accountId: 'acc_2' })).resolves.toEqual({
      ok: true,
      value: { accounts: [], selectedId: 'acc_2' },
    });
    expect(handlers['accounts:select']).toHaveBeenCalledWith({ accountId: 'acc_2' });
    await expect(call('vault:status', event(ownContents), {})).resolves.toEqual({
      ok: true,
      value: { secure: true, backend: 'macOS Keychain' },
    });
  });

  it("answers dispatch's invalid_input envelope without running the handler", async () => {
    const handlers = fakeHandlers();
    bindIpc(handlers, policy);
    const result = (await call('accounts:select', event(ownContents), { accountId: 42 })) as { ok: boolean; error: { code: string; field?: string } };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.field).toBe('accountId');
    expect(handlers['accounts:select']).not.toHaveBeenCalled();
  });

  it.each([
    ['another webContents', { isDestroyed: (): boolean => false } as unknown, mainFrame],
    ['our window showing a foreign page', ownContents, { url: 'https://evil.example/', parent: null }],
    ['a sub-frame of our page', ownContents, { url: APP_URL, parent: mainFrame }],
    ['a frame that is gone', ownContents, null],
  ])('rejects %s as forbidden, without dispatching', async (_name, sender, frame) => {
    const handlers = fakeHandlers();
    bindIpc(handlers, policy);
    await expect(call('accounts:select', event(sender, frame), { accountId: 'acc_2' })).resolves.toEqual(FORBIDDEN);
    expect(handlers['accounts:select']).not.toHaveBeenCalled();
  });

  it('rejects every call while there is no window', async () => {
    bindIpc(fakeHandlers(), { ...policy, ownWebContents: () => null });
    await expect(call('vault:status', event(ownContents), {})).resolves.toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'This request did not come from the Partnerdesk window.' },
    });
  });
});
