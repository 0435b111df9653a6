import { IPC_CHANNELS, type IpcChannel, type PartnerdeskApi } from '../../../shared/ipc';
import type { IpcResult } from '../../../shared/ipc';

export type Call = (channel: IpcChannel, input: unknown) => Promise<IpcResult<unknown>>;

/** One method per contract channel, nothing more: the same shape the preload exposes. */
export function buildApi(call: Call): PartnerdeskApi {
  const api: Record<string, (input: unknown) => Promise<IpcResult<unknown>>> = {};
  for (const channel of IPC_CHANNELS) api[channel] = (input) => call(channel, input);
  return Object.freeze(api) as unknown as PartnerdeskApi;
}
