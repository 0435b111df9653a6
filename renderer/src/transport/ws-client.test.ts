import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WsRequest, WsResponse } from '../../../shared/ipc';
import { createWsClient, NOT_CONNECTED_MESSAGE, OFFLINE_MESSAGE, TIMEOUT_MESSAGE, type WebSocketLike } from './ws-client';

/** A WebSocket the test drives by hand: open, answer, drop. */
class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: WsRequest[] = [];
  onopen: WebSocketLike['onopen'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  onmessage: WebSocketLike['onmessage'] = null;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data) as WsRequest);
  }
  close(): void {
    this.drop();
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onerror?.({});
    this.onclose?.({});
  }
  answer(response: WsResponse): void {
    this.onmessage?.({ data: JSON.stringify(response) });
  }
  static latest(): FakeSocket {
    const socket = FakeSocket.all.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }
}

function client(overrides: Partial<Parameters<typeof createWsClient>[0]> = {}) {
  return createWsClient({
    url: 'ws://127.0.0.1:5000/ipc?token=t0k',
    createSocket: (url) => new FakeSocket(url),
    requestTimeoutMs: 5_000,
    offlineWaitMs: 1_000,
    reconnectDelaysMs: [100, 200],
    ...overrides,
  });
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('web-host WebSocket client', () => {
  it('connects to the given URL and matches answers to requests by id, in any order', async () => {
    const c = client();
    const socket = FakeSocket.latest();
    expect(socket.url).toBe('ws://127.0.0.1:5000/ipc?token=t0k');
    socket.open();

    const first = c.call('partners:cached', { accountId: 'a' });
    const second = c.call('accounts:list', {});
    expect(socket.sent).toEqual([
      { id: 1, channel: 'partners:cached', input: { accountId: 'a' } },
      { id: 2, channel: 'accounts:list', input: {} },
    ]);

    socket.answer({ id: 2, result: { ok: true, value: { accounts: [], selectedId: null } } });
    socket.answer({ id: 99, result: { ok: true, value: 'stray' } });
    socket.answer({ id: 1, result: { ok: false, error: { code: 'unknown_account', message: 'No such account' } } });

    await expect(second).resolves.toEqual({ ok: true, value: { accounts: [], selectedId: null } });
    await expect(first).resolves.toEqual({ ok: false, error: { code: 'unknown_account', message: 'No such account' } });
  });

  it('ignores malformed messages', async () => {
    const c = client();
    const socket = FakeSocket.latest();
    socket.open();
    const pending = c.call('vault:status', {});
    socket.onmessage?.({ data: 'not json' });
    socket.onmessage?.({ data: JSON.stringify({ id: 1 }) });
    socket.answer({ id: 1, result: { ok: true, value: { secure: true, backend: 'libsecret' } } });
    await expect(pending).resolves.toEqual({ ok: true, value: { secure: true, backend: 'libsecret' } });
  });

  it('sends requests made while connecting once the socket opens', async () => {
    const c = client();
    const pending = c.call('accounts:list', {});
    const socket = FakeSocket.latest();
    expect(socket.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    socket.open();
    expect(socket.sent).toEqual([{ id: 1, channel: 'accounts:list', input: {} }]);
    socket.answer({ id: 1, result: { ok: true, value: { accounts: [], selectedId: null } } });
    await expect(pending).resolves.toEqual({ ok: true, value: { accounts: [], selectedId: null } });
  });

  it('fails a request made while disconnected with an offline error after a short wait, instead of hanging', async () => {
    const c = client();
    FakeSocket.latest().open();
    FakeSocket.latest().drop();
    const pending = c.call('partners:refresh', { accountId: 'a' });
    let settled = false;
    void pending.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toEqual({ ok: false, error: { code: 'offline', message: OFFLINE_MESSAGE } });
    expect(OFFLINE_MESSAGE).toBe('Lost contact with the app backend. Trying to reconnect…');
    expect(FakeSocket.latest().sent).toEqual([]);
  });

  it('says the backend could not be reached at all when no socket ever opened (a refused token)', async () => {
    const c = client();
    const pending = c.call('accounts:list', {});
    FakeSocket.latest().drop(); // the host answers the handshake with 403
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(pending).resolves.toEqual({ ok: false, error: { code: 'offline', message: NOT_CONNECTED_MESSAGE } });
    expect(NOT_CONNECTED_MESSAGE).toBe(
      "Couldn't connect to the app backend. Check that npm run web is still running and open the exact address it printed (it ends in ?token=…).",
    );
  });

  it('fails requests in flight when the socket drops, then reconnects and works again', async () => {
    const c = client();
    const first = FakeSocket.latest();
    first.open();
    const lost = c.call('partners:refresh', { accountId: 'a' });
    first.drop();
    await expect(lost).resolves.toEqual({ ok: false, error: { code: 'offline', message: OFFLINE_MESSAGE } });
    expect(c.connected()).toBe(false);

    await vi.advanceTimersByTimeAsync(100);
    expect(FakeSocket.all).toHaveLength(2);
    const second = FakeSocket.latest();
    expect(second.url).toBe('ws://127.0.0.1:5000/ipc?token=t0k');
    second.open();
    expect(c.connected()).toBe(true);

    const again = c.call('vault:status', {});
    expect(second.sent).toEqual([{ id: 2, channel: 'vault:status', input: {} }]);
    second.answer({ id: 2, result: { ok: true, value: { secure: true, backend: 'libsecret' } } });
    await expect(again).resolves.toEqual({ ok: true, value: { secure: true, backend: 'libsecret' } });
  });

  it('backs off between failed reconnection attempts', async () => {
    client();
    FakeSocket.latest().drop();
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.latest().drop();
    await vi.advanceTimersByTimeAsync(199);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(3);
    FakeSocket.latest().drop();
    await vi.advanceTimersByTimeAsync(200); // the last delay repeats
    expect(FakeSocket.all).toHaveLength(4);
  });

  it('times out a request the backend never answers', async () => {
    const c = client();
    FakeSocket.latest().open();
    const pending = c.call('partners:refresh', { accountId: 'a' });
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(pending).resolves.toEqual({ ok: false, error: { code: 'timeout', message: TIMEOUT_MESSAGE } });
    // A late answer is ignored.
    FakeSocket.latest().answer({ id: 1, result: { ok: true, value: null } });
  });

  it('close() fails waiting requests and stops reconnecting', async () => {
    const c = client();
    const pending = c.call('accounts:list', {});
    c.close();
    await expect(pending).resolves.toEqual({ ok: false, error: { code: 'offline', message: OFFLINE_MESSAGE } });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeSocket.all).toHaveLength(1);
    await expect(c.call('vault:status', {})).resolves.toMatchObject({ ok: false, error: { code: 'offline' } });
  });
});
