import { contextBridge, ipcRenderer } from 'electron';
import { API_GLOBAL, CHANNEL_PREFIX, IPC_CHANNELS, type PartnerdeskApi } from '../../shared/ipc';

/**
 * The window's only door to the main process: one function per contract channel, each a single
 * ipcRenderer.invoke on the prefixed channel. Nothing generic (no invoke/send/on) is exposed, so
 * a compromised page can call the contract and nothing else. Main validates every input anyway.
 */
export function buildApi(): PartnerdeskApi {
  const api: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const channel of IPC_CHANNELS) {
    api[channel] = (input) => ipcRenderer.invoke(CHANNEL_PREFIX + channel, input);
  }
  return Object.freeze(api) as PartnerdeskApi;
}

contextBridge.exposeInMainWorld(API_GLOBAL, buildApi());
