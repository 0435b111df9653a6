/**
 * Raw HTTP/1.1 on one socket, for what fetch and the SDK cannot do: pipelining several requests
 * in one write, reading slowly or not at all, leaving mid-answer. Responses are parsed strictly
 * (Content-Length or chunked framing), so a corrupted frame fails the test.
 */
import { connect, type Socket } from 'node:net';
import { VERSION } from './harness';

export function messagesRequest(key: string, body: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(body));
  const head =
    `POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${key}\r\nanthropic-version: ${VERSION}\r\n` +
    `content-type: application/json\r\ncontent-length: ${json.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), json]);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const CRLF = Buffer.from('\r\n');

/** Parses consecutive responses out of the bytes of one connection; `rest` is an incomplete tail. */
export function parseResponses(data: Buffer): { responses: RawResponse[]; rest: Buffer } {
  const responses: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const headEnd = data.indexOf('\r\n\r\n', at);
    if (headEnd === -1) break;
    const [statusLine = '', ...lines] = data.subarray(at, headEnd).toString('latin1').split('\r\n');
    const match = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine);
    if (!match) throw new Error(`bad status line ${JSON.stringify(statusLine.slice(0, 80))}`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let cursor = headEnd + 4;
    let body: Buffer | null = null;
    if (headers['transfer-encoding'] === 'chunked') {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = data.indexOf(CRLF, cursor);
        if (lineEnd === -1) break;
        const sizeText = data.subarray(cursor, lineEnd).toString('latin1');
        if (!/^[0-9a-f]+$/i.test(sizeText)) throw new Error(`bad chunk size line ${JSON.stringify(sizeText.slice(0, 80))}`);
        const size = parseInt(sizeText, 16);
        const end = lineEnd + 2 + size;
        if (data.length < end + 2) break;
        if (!data.subarray(end, end + 2).equals(CRLF)) throw new Error('a chunk does not end with CRLF');
        cursor = end + 2;
        if (size === 0) {
          body = Buffer.concat(parts);
          break;
        }
        parts.push(data.subarray(lineEnd + 2, end));
      }
    } else {
      const length = Number(headers['content-length'] ?? 0);
      if (data.length >= cursor + length) {
        body = data.subarray(cursor, cursor + length);
        cursor += length;
      }
    }
    if (body === null) break;
    responses.push({ status: Number(match[1]), headers, body });
    at = cursor;
  }
  return { responses, rest: data.subarray(at) };
}

export interface PipelinedRun {
  responses: RawResponse[];
  /** Bytes received in all. */
  received: number;
}

/**
 * Writes `requests` on one connection in a single write and reads until `count` responses are
 * complete or `deadlineMs` passes (then returns what arrived). `readAfterMs` holds the socket
 * unread for that long first, so the server's writes back up.
 */
export async function pipelined(port: number, requests: Buffer[], count: number, options: { readAfterMs?: number; deadlineMs: number }): Promise<PipelinedRun> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let received = 0;
  socket.pause();
  socket.write(Buffer.concat(requests));
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(deadline);
      socket.destroy();
      resolve({ responses: parseResponses(Buffer.concat(chunks)).responses, received });
    };
    const deadline = setTimeout(done, options.deadlineMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      // Parsing everything again on each chunk is quadratic; only look once the last bytes could
      // end a chunked body (the last response of a batch ends where the bytes end).
      const tail = Buffer.concat(chunks.slice(-2)).subarray(-5).toString('latin1');
      if (tail === '0\r\n\r\n' && parseResponses(Buffer.concat(chunks)).responses.length >= count) done();
    });
    socket.on('error', () => {});
    setTimeout(() => socket.resume(), options.readAfterMs ?? 0);
  });
}

/** Writes `requests` in one write, then leaves (destroys the socket) once `leaveAfterBytes` have arrived. */
export async function pipelinedThenLeave(port: number, requests: Buffer[], leaveAfterBytes: number): Promise<number> {
  const socket: Socket = connect(port, '127.0.0.1');
  socket.write(Buffer.concat(requests));
  let received = 0;
  for await (const chunk of socket) {
    received += (chunk as Buffer).length;
    if (received >= leaveAfterBytes) break;
  }
  socket.destroy();
  return received;
}

/**
 * Sends each piece `afterMs` after connecting (`end`: then half-closes, as a client that leaves
 * does), reads until the server closes the connection (or `deadlineMs` passes), and returns every
 * byte and whether the server closed it.
 */
export async function sendUntilClosed(
  port: number,
  pieces: { afterMs: number; bytes: Buffer | string; end?: boolean }[],
  deadlineMs: number,
): Promise<{ data: Buffer; closed: boolean }> {
  const socket = connect(port, '127.0.0.1');
  const timers = pieces.map(({ afterMs, bytes, end }) => setTimeout(() => (end ? socket.end(bytes) : socket.write(bytes)), afterMs));
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  const closed = await new Promise<boolean>((resolve) => {
    const deadline = setTimeout(() => resolve(false), deadlineMs);
    socket.once('close', () => {
      clearTimeout(deadline);
      resolve(true);
    });
  });
  for (const timer of timers) clearTimeout(timer);
  socket.destroy();
  return { data: Buffer.concat(chunks), closed };
}
