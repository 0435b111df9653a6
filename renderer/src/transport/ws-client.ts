import type { IpcError, IpcResult, WsRequest, WsResponse } from '../../../shared/ipc';

/** The parts of the browser WebSocket this client uses, so tests can pass a fake. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export interface WsClientOptions {
  url: string;
  createSocket?: (url: string) => WebSocketLike;
  /** How long an answered-to-be request may take once sent. */
  requestTimeoutMs?: number;
  /** How long a request made while disconnected waits for the connection before failing. */
  offlineWaitMs?: number;
  /** Delays between reconnection attempts; the last one repeats. */
  reconnectDelaysMs?: readonly number[];
}

export interface WsClient {
  call(channel: string, input: unknown): Promise<IpcResult<unknown>>;
  /** True while the socket is open. */
  connected(): boolean;
  /** Stops reconnecting and fails every waiting request. */
  close(): void;
}

const OPEN = 1;

export const OFFLINE_MESSAGE = 'Lost contact with the app backend. Trying to reconnect…';
/** The socket never opened: the host is gone or refused the page (a wrong or stale token). */
export const NOT_CONNECTED_MESSAGE =
  "Couldn't connect to the app backend. Check that npm run web is still running and open the exact address it printed (it ends in ?token=…).";
export const TIMEOUT_MESSAGE = 'The app backend did not answer in time.';

function failure(code: IpcError['code'], message: string): IpcResult<unknown> {
  return { ok: false, error: { code, message } };
}

type Resolve = (result: IpcResult<unknown>) => void;

interface Waiting {
  request: WsRequest;
  resolve: Resolve;
  timer: ReturnType<typeof setTimeout>;
}

function isWsResponse(value: unknown): value is WsResponse {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { id?: unknown; result?: unknown };
  if (typeof v.id !== 'number' || typeof v.result !== 'object' || v.result === null) return false;
  return typeof (v.result as { ok?: unknown }).ok === 'boolean';
}

/**
 * The web host's transport: one WebSocket carrying `WsRequest`s out and `WsResponse`s back,
 * matched by id. It never rejects: every failure is an IpcResult with an `offline` or
 * `timeout` code, so the UI handles them like any other error.
 */
export function createWsClient(options: WsClientOptions): WsClient {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const offlineWaitMs = options.offlineWaitMs ?? 3_000;
  const delays = options.reconnectDelaysMs?.length ? options.reconnectDelaysMs : [250, 500, 1_000, 2_000, 5_000];

  let socket: WebSocketLike | null = null;
  let nextId = 1;
  let attempt = 0;
  let closed = false;
  /** Whether any socket ever opened: a host that never let us in is not "lost contact". */
  let everConnected = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  /** Sent, waiting for the answer. */
  const inFlight = new Map<number, Waiting>();
  /** Not sent yet: waiting for the connection. */
  const queued = new Map<number, Waiting>();

  function isOpen(): boolean {
    return socket !== null && socket.readyState === OPEN;
  }

  function settle(map: Map<number, Waiting>, id: number, result: IpcResult<unknown>): void {
    const waiting = map.get(id);
    if (!waiting) return;
    map.delete(id);
    clearTimeout(waiting.timer);
    waiting.resolve(result);
  }

  function send(request: WsRequest, resolve: Resolve): void {
    try {
      socket?.send(JSON.stringify(request));
    } catch {
      queue(request, resolve);
      return;
    }
    const timer = setTimeout(() => settle(inFlight, request.id, failure('timeout', TIMEOUT_MESSAGE)), requestTimeoutMs);
    inFlight.set(request.id, { request, resolve, timer });
  }

  function queue(request: WsRequest, resolve: Resolve): void {
    const timer = setTimeout(
      () => settle(queued, request.id, failure('offline', everConnected ? OFFLINE_MESSAGE : NOT_CONNECTED_MESSAGE)),
      offlineWaitMs,
    );
    queued.set(request.id, { request, resolve, timer });
  }

  function flush(): void {
    for (const [id, waiting] of [...queued]) {
      queued.delete(id);
      clearTimeout(waiting.timer);
      send(waiting.request, waiting.resolve);
    }
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer) return;
    const delay = delays[Math.min(attempt, delays.length - 1)] ?? 1_000;
    attempt += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  function connect(): void {
    if (closed) return;
    let ws: WebSocketLike;
    try {
      ws = createSocket(options.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      attempt = 0;
      everConnected = true;
      flush();
    };
    ws.onmessage = (event) => {
      if (socket !== ws || typeof event.data !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(event.data);
      } catch {
        return;
      }
      if (isWsResponse(parsed)) settle(inFlight, parsed.id, parsed.result);
    };
    ws.onerror = () => {
      // A close event always follows; reconnection is handled there.
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      // Answers to requests already sent will never arrive on a new connection.
      for (const id of [...inFlight.keys()]) settle(inFlight, id, failure('offline', OFFLINE_MESSAGE));
      scheduleReconnect();
    };
  }

  connect();

  return {
    call(channel, input) {
      return new Promise((resolve) => {
        if (closed) {
          resolve(failure('offline', OFFLINE_MESSAGE));
          return;
        }
        const request: WsRequest = { id: nextId++, channel, input: input ?? {} };
        if (isOpen()) send(request, resolve);
        else queue(request, resolve);
      });
    },
    connected: isOpen,
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      for (const id of [...queued.keys()]) settle(queued, id, failure('offline', OFFLINE_MESSAGE));
      for (const id of [...inFlight.keys()]) settle(inFlight, id, failure('offline', OFFLINE_MESSAGE));
      const ws = socket;
      socket = null;
      ws?.close();
    },
  };
}
