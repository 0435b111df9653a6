import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, type PartnerdeskApi, type WsRequest } from '../../shared/ipc';
import { createApi, webHostUrl } from './api';
import type { WebSocketLike } from './transport';

describe('createApi', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('uses the API the Electron preload exposes when there is one', () => {
    const exposed = {} as PartnerdeskApi;
    expect(createApi({ location: { search: '', host: 'x' }, partnerdesk: exposed })).toBe(exposed);
  });

  it('otherwise builds exactly the contract over the web host WebSocket, with the page token', async () => {
    const sockets: { url: string; sent: WsRequest[]; socket: WebSocketLike }[] = [];
    const api = createApi(
      { location: { search: '?token=abc%2B1&x=2', host: '127.0.0.1:4321' } },
      {
        createSocket: (url) => {
          const entry = { url, sent: [] as WsRequest[], socket: null as unknown as WebSocketLike };
          entry.socket = {
            readyState: 1,
            send: (data: string) => entry.sent.push(JSON.parse(data) as WsRequest),
            close: () => undefined,
            onopen: null,
            onclose: null,
            onerror: null,
            onmessage: null,
          };
          sockets.push(entry);
          return entry.socket;
        },
      },
    );
    expect(Object.keys(api).sort()).toEqual([...IPC_CHANNELS].sort());
    expect(sockets[0]?.url).toBe('ws://127.0.0.1:4321/ipc?token=abc%2B1');

    const pending = api['partners:cached']({ accountId: 'acct_1' });
    expect(sockets[0]?.sent).toEqual([{ id: 1, channel: 'partners:cached', input: { accountId: 'acct_1' } }]);
    const view = { accountId: 'acct_1', partners: [], syncedAt: null };
    sockets[0]?.socket.onmessage?.({ data: JSON.stringify({ id: 1, result: { ok: true, value: view } }) });
    await expect(pending).resolves.toEqual({ ok: true, value: view });
  });

  it('sends an empty token when the page has none (the host will refuse it)', () => {
    expect(webHostUrl({ search: '', host: 'localhost:9' })).toBe('ws://localhost:9/ipc?token=');
  });
});
