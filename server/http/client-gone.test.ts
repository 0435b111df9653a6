/**
 * ClientGone over real HTTP: it fires when the client leaves before its answer is written —
 * whether the answer owns the socket, waits its turn behind a pipelined one, or the client left
 * before it was even created — and not once the answer is complete.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { FastifyReply } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientGone } from './client-gone';

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = null;
});

/** What ClientGone reads of a Fastify reply. */
const replyOf = (req: IncomingMessage, res: ServerResponse) => ({ raw: res, request: { raw: req } }) as unknown as FastifyReply;

async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

const GET = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;

function client(port: number, raw: string): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(raw);
  return socket;
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('ClientGone', () => {
  it('fires for the answer that owns the socket and for one queued behind it, each listener once', async () => {
    const gones = new Map<string, ClientGone>();
    const fired: string[] = [];
    const port = await serve((req, res) => {
      const gone = new ClientGone(replyOf(req, res));
      gone.addEventListener('abort', () => fired.push(req.url!));
      gones.set(req.url!, gone);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('started'); // neither answer ends
    });
    const socket = client(port, GET('/owner') + GET('/queued'));
    while (gones.size < 2) await tick();
    expect([gones.get('/owner')!.aborted, gones.get('/queued')!.aborted]).toEqual([false, false]);
    socket.destroy();
    while (fired.length < 2) await tick();
    expect(fired.sort()).toEqual(['/owner', '/queued']);
    expect(gones.get('/queued')!.reason).toEqual(new Error('the client closed the connection'));
  });

  it('is gone at once when the client left before it was created', async () => {
    let result: boolean | null = null;
    const port = await serve((req, res) => {
      req.socket.once('close', () => {
        result = new ClientGone(replyOf(req, res)).aborted;
      });
    });
    const socket = client(port, GET('/late'));
    await tick();
    socket.destroy();
    while (result === null) await tick();
    expect(result).toBe(true);
  });

  it('does not fire for answers written whole, nor after release()', async () => {
    const gones: ClientGone[] = [];
    let fired = 0;
    const port = await serve((req, res) => {
      const gone = new ClientGone(replyOf(req, res));
      gone.addEventListener('abort', () => fired++);
      gones.push(gone);
      if (req.url === '/released') {
        gone.release();
        res.write('x');
        return;
      }
      res.end('done');
    });
    // A finished answer, then a queued one that was released before the client left.
    const socket = client(port, GET('/whole') + GET('/released'));
    while (gones.length < 2) await tick();
    await tick();
    socket.destroy();
    await tick();
    await tick();
    expect(fired).toBe(0);
    expect(gones.map((g) => g.aborted)).toEqual([false, false]);
  });
});
