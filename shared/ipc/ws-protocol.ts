import type { IpcResult } from './errors';

/**
 * The web host (development and tests only) carries the IPC contract over a loopback
 * WebSocket. The page finds the token in its own URL (`?token=…`) and connects to
 * `ws://<host>/ipc?token=…`; the host refuses any other token or origin.
 */
export const WS_PATH = '/ipc';
export const WS_TOKEN_PARAM = 'token';

export interface WsRequest {
  id: number;
  channel: string;
  input: unknown;
}

export interface WsResponse {
  id: number;
  result: IpcResult<unknown>;
}
