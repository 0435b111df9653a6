/**
 * Where the relay writes a streamed answer's chunks: straight to the client socket, framed as
 * HTTP/1.1 chunks here, instead of through ServerResponse.write. Per chunk that path corks the
 * socket, queues four pieces (size line, CRLF, chunk, CRLF), uncorks on the next tick and
 * assembles a writev; one frame in one buffer and one write cost clearly less per SSE event
 * (bench/README.md). Only where the bytes are exactly those ServerResponse would send:
 * - from the second chunk on: the first goes through res.write, which sends the headers with it;
 * - the response is chunked (not an HTTP/1.0 client's close-delimited body), so res.end()
 *   afterwards writes the terminating chunk as usual;
 * - the response owns the socket (a pipelined response waiting its turn has none yet).
 * Otherwise every chunk goes through res.write.
 */
import type { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const CR = 0x0d;
const LF = 0x0a;

const HEX_DIGITS = Buffer.from('0123456789abcdef');

/**
 * `<size in hex>\r\n<chunk>\r\n`, one buffer. Built byte by byte and with TypedArray.set: the
 * Buffer methods (write, copy) each cross into C++ and cost more than the copying itself.
 */
export function chunkFrame(chunk: Buffer): Buffer {
  const length = chunk.length;
  let digits = 1;
  while (length >= 16 ** digits) digits++;
  const frame = Buffer.allocUnsafe(digits + 2 + length + 2);
  for (let i = digits - 1, rest = length; i >= 0; i--, rest = Math.floor(rest / 16)) frame[i] = HEX_DIGITS[rest % 16]!;
  frame[digits] = CR;
  frame[digits + 1] = LF;
  frame.set(chunk, digits + 2);
  frame[digits + 2 + length] = CR;
  frame[digits + 3 + length] = LF;
  return frame;
}

/**
 * Created once the status and headers are set (writeHead). The first chunk goes through
 * res.write, so the headers leave with it in one packet; the chunks after it go straight to the
 * socket where that is safe.
 */
export class ClientSink {
  private socket: Socket | null = null;
  private decided = false;

  constructor(private readonly res: ServerResponse) {}

  /** false: the socket's buffer is full; wait for the drainer's 'drain'. */
  write(chunk: Buffer): boolean {
    const { socket } = this;
    // An empty chunk would read as the end of the body: there is nothing to send.
    if (socket !== null) return chunk.length === 0 || socket.write(chunkFrame(chunk));
    const flowing = this.res.write(chunk);
    if (!this.decided && this.res.headersSent) this.decide();
    return flowing;
  }

  /** What emits 'drain' once a refused write has gone out. */
  get drainer(): EventEmitter {
    return this.socket ?? this.res;
  }

  private decide(): void {
    this.decided = true;
    const { res } = this;
    if (res.chunkedEncoding && res.socket !== null && res.socket.writable) this.socket = res.socket;
  }
}
