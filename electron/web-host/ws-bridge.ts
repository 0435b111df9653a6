import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH, WS_TOKEN_PARAM, type WsRequest, type WsResponse } from '../../shared/ipc';
import type { IpcHandlers } from '../core/api';
import { dispatch } from '../core';
import type { Logger } from '../core/ports';

const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * Carries the IPC contract over a loopback WebSocket, so the real renderer runs in a plain
 * browser against the real core. Only a page from our own origin holding the random token may
 * connect: another local page or process cannot drive the core.
 */
export function createWsBridge(options: { token: string; origin: () => string; handlers: IpcHandlers; logger: Logger }) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  wss.on('connection', (socket: WebSocket) => {
    socket.on('message', (data) => void answer(socket, data.toString()));
  });

  async function answer(socket: WebSocket, raw: string): Promise<void> {
    let request: WsRequest;
    try {
      request = JSON.parse(raw) as WsRequest;
      if (typeof request !== 'object' || request === null || typeof request.id !== 'number' || typeof request.channel !== 'string') {
        throw new Error('bad frame');
      }
    } catch {
      options.logger.warn('web host: dropped a malformed frame');
      return;
    }
    const result = await dispatch(options.handlers, request.channel, request.input);
    const response: WsResponse = { id: request.id, result };
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(response));
  }

  function authorised(req: IncomingMessage): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== WS_PATH) return false;
    if (req.headers.origin !== options.origin()) return false;
    const given = Buffer.from(url.searchParams.get(WS_TOKEN_PARAM) ?? '');
    const expected = Buffer.from(options.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      if (!authorised(req)) {
        options.logger.warn('web host: refused a WebSocket without our origin and token');
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close(): Promise<void> {
      for (const client of wss.clients) client.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
