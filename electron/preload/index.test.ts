import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../shared/ipc';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })) },
}));
electron.contextBridge.exposeInMainWorld.mockImplementation((key: string, api: unknown) => electron.exposed.set(key, api));
vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

await import('./index');

describe('preload', () => {
  const api = electron.exposed.get('partnerdesk') as Record<string, (input: unknown) => Promise<unknown>>;

  it('exposes one object, under "partnerdesk", once', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...electron.exposed.keys()]).toEqual(['partnerdesk']);
  });

  it('exposes exactly the contract channels, all functions, nothing generic', () => {
    expect(Object.keys(api).sort()).toEqual([...IPC_CHANNELS].sort());
    for (const channel of IPC_CHANNELS) expect(typeof api[channel]).toBe('function');
    for (const generic of ['invoke', 'send', 'on', 'ipcRenderer']) expect(api).not.toHaveProperty(generic);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('invokes the prefixed channel with the input and returns the answer', async () => {
    await expect(api['accounts:select']!({ accountId: 'acc_1' })).resolves.toEqual({
      ok: true,
      value: { channel: 'partnerdesk:accounts:select', input: { accountId: 'acc_1' } },
    });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith('partnerdesk:accounts:select', { accountId: 'acc_1' });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledTimes(1);
  });
});
