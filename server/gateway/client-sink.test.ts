/**
 * The relay's direct chunk writer, over real HTTP on loopback: the bytes on the wire are exactly
 * what ServerResponse.write would have sent, and it steps aside where it could not be.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientSink, chunkFrame } from './client-sink';

let server: Server | null = null;
afterEach(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = null;
});

/** A server whose every request runs `handle` with the response's sink (headers already set). */
async function serve(handle: (sink: ClientSink, res: ServerResponse, req: IncomingMessage) => void | Promise<void>): Promise<number> {
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    void handle(new ClientSink(res), res, req);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Sends `raw` on one connection and returns every byte the server sent until it closed or `until` matched. */
async function rawExchange(port: number, raw: string, until?: (text: string) => boolean): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.write(raw);
  let text = '';
  for await (const chunk of socket) {
    text += (chunk as Buffer).toString('latin1');
    if (until?.(text)) break;
  }
  socket.destroy();
  return text;
}

/** Sends each request on one kept-alive connection once the answer before it is complete. */
async function inTurn(port: number, requests: string[]): Promise<string[]> {
  const socket = connect(port, '127.0.0.1');
  const answers: string[] = [];
  let text = '';
  socket.write(requests[0]!);
  for await (const chunk of socket) {
    text += (chunk as Buffer).toString('latin1');
    if (!text.endsWith('0\r\n\r\n')) continue;
    answers.push(text);
    text = '';
    if (answers.length === requests.length) break;
    socket.write(requests[answers.length]!);
  }
  socket.destroy();
  return answers;
}

const bodyOf = (response: string) => response.slice(response.indexOf('\r\n\r\n') + 4);

describe('chunkFrame', () => {
  it('frames a chunk as <hex size>CRLF<bytes>CRLF', () => {
    expect(chunkFrame(Buffer.from('hello')).toString('latin1')).toBe('5\r\nhello\r\n');
    const big = Buffer.alloc(300, 0x61);
    expect(chunkFrame(big).toString('latin1')).toBe(`12c\r\n${'a'.repeat(300)}\r\n`);
  });
});

describe('clientSink', () => {
  it('after the first chunk (sent with the headers), writes chunked frames on the socket itself, skips empty chunks, and res.end() closes the body; the connection stays usable', async () => {
    const drainers: string[] = [];
    const port = await serve((sink, res) => {
      expect(sink.write(Buffer.from('event: a\n\n'))).toBe(true);
      expect(sink.write(Buffer.alloc(0))).toBe(true);
      sink.write(Buffer.from('é✓'));
      drainers.push(sink.drainer === res ? 'response' : 'socket');
      res.end();
    });
    const request = 'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n';
    const [first, second] = await inTurn(port, [request, request]);
    const expectedBody = `a\r\nevent: a\n\n\r\n5\r\n${Buffer.from('é✓').toString('latin1')}\r\n0\r\n\r\n`;
    expect(first).toContain('Transfer-Encoding: chunked\r\n');
    expect(bodyOf(first!)).toBe(expectedBody);
    expect(bodyOf(second!)).toBe(expectedBody);
    expect(drainers).toEqual(['socket', 'socket']);
  });

  it('an HTTP/1.0 client gets a close-delimited body through res.write (no chunk framing)', async () => {
    const drainers: string[] = [];
    const port = await serve((sink, res) => {
      sink.write(Buffer.from('event: a\n\n'));
      sink.write(Buffer.from('event: b\n\n'));
      drainers.push(sink.drainer === res ? 'response' : 'socket');
      res.end();
    });
    const answer = await rawExchange(port, 'POST /v1/messages HTTP/1.0\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
    expect(answer).not.toContain('Transfer-Encoding');
    expect(bodyOf(answer)).toBe('event: a\n\nevent: b\n\n');
    expect(drainers).toEqual(['response']);
  });

  it('a pipelined response waiting for the socket goes through res.write, and both answers arrive whole and in order', async () => {
    const drainers: string[] = [];
    const port = await serve(async (sink, res, req) => {
      if (req.url === '/first') await new Promise((r) => setTimeout(r, 50));
      sink.write(Buffer.from(`data: ${req.url}\n\n`));
      sink.write(Buffer.from('data: more\n\n'));
      drainers.push(`${req.url} ${sink.drainer === res ? 'response' : 'socket'}`);
      res.end();
    });
    const one = (path: string) => `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`;
    const answers = await rawExchange(port, one('/first') + one('/second'), (t) => t.split('0\r\n\r\n').length === 3);
    const [first, second] = answers.split(/(?<=0\r\n\r\n)/);
    expect(bodyOf(first!)).toBe('e\r\ndata: /first\n\n\r\nc\r\ndata: more\n\n\r\n0\r\n\r\n');
    expect(bodyOf(second!)).toBe('f\r\ndata: /second\n\n\r\nc\r\ndata: more\n\n\r\n0\r\n\r\n');
    expect(drainers.sort()).toEqual(['/first socket', '/second response']);
  });

  it('reports a full socket and drains: a slow reader gets every byte exactly', async () => {
    const piece = Buffer.alloc(64 * 1024);
    for (let i = 0; i < piece.length; i++) piece[i] = i % 251;
    const pieces = 160; // 10 MB: far more than the socket buffers hold
    let refused = 0;
    const port = await serve(async (sink, res) => {
      for (let i = 0; i < pieces; i++) {
        if (!sink.write(piece)) {
          refused += 1;
          await once(sink.drainer, 'drain');
        }
      }
      res.end();
    });
    const received: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/v1/messages' }, (res) => {
        res.pause(); // read nothing for a while: the server's socket fills up
        setTimeout(() => res.resume(), 300);
        res.on('data', (c: Buffer) => received.push(c));
        res.on('end', resolve);
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    const body = Buffer.concat(received);
    expect(body.length).toBe(piece.length * pieces);
    for (let i = 0; i < pieces; i++) expect(body.subarray(i * piece.length, (i + 1) * piece.length).equals(piece)).toBe(true);
    expect(refused).toBeGreaterThan(0);
  });
});
