/**
 * Malformed HTTP (or headers too large, or a request too slow to arrive) never reaches Fastify's
 * router: it is answered here, on the raw socket, in the API's error shape, and the connection is
 * closed (its parser cannot go on).
 *
 * Bytes that do not parse can follow requests the server is still answering (a client that
 * pipelines, then sends garbage). Writing the 400 at once would land in the middle of an answer
 * already under way (inside a chunked stream) and corrupt it; Node's own handler avoids that by
 * cutting the connection. Here the answers come first, whole and in order, since those requests
 * were well formed, and the 400 follows them as the answer to the bytes that were not.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { newRequestId } from '../keys';
import { errorBody } from './errors';

/** Node's socket → response binding: the answer now writing on the socket, if any. */
type HttpSocket = Socket & { _httpMessage?: ServerResponse | null };

/** Sockets whose 400 is pending: Node reports the same broken parser again if more bytes arrive. */
const answering = new WeakSet<Socket>();

/** Node's parser and timeout errors that have an answer of their own; any other is a 400. */
const ANSWERS: Record<string, { status: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: '431 Request Header Fields Too Large', message: 'request headers too large: at most 16 KiB' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: '408 Request Timeout', message: 'the request did not arrive in time' },
};
const MALFORMED = { status: '400 Bad Request', message: 'malformed HTTP request' };

function answer(error: NodeJS.ErrnoException, socket: Socket): void {
  if (socket.destroyed || !socket.writable) return;
  const { status, message } = ANSWERS[error.code ?? ''] ?? MALFORMED;
  const requestId = newRequestId();
  const body = JSON.stringify(errorBody('invalid_request_error', message, requestId));
  socket.end(
    `HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-type: application/json\r\n` +
      `request-id: ${requestId}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Waits for the answer on the socket, then for each queued after it: Node hands the socket to
 * the next queued answer as one finishes, before that one's 'close' (emitted on the next tick).
 * An answer not yet begun to a request whose body never arrived whole is the broken request's
 * own (cut short by the client, or too slow): nothing will ever answer it, so the error does now.
 */
function afterAnswersInFlight(socket: HttpSocket, then: () => void): void {
  if (socket.destroyed) return;
  const inFlight = socket._httpMessage;
  if (inFlight === null || inFlight === undefined) return then();
  if (!inFlight.headersSent && !inFlight.req.complete) return then();
  inFlight.once('close', () => afterAnswersInFlight(socket, then));
}

export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable || answering.has(socket)) return;
  answering.add(socket);
  afterAnswersInFlight(socket as HttpSocket, () => answer(error, socket));
}
