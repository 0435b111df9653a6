/**
 * A bare undici passthrough proxy: the throughput reference for the gateway (target b).
 * No auth, no parsing, no bookkeeping: it pipes the request body to the upstream through a
 * keep-alive undici Pool and pipes the answer back, streaming included. Whatever the gateway
 * does beyond this is the cost the benchmark measures.
 *
 * Config (env): BARE_UPSTREAM_URL (required), BARE_CONNECTIONS (256), BARE_PORT (0).
 * Prints one JSON line `{"ready":true,"url":…,"pid":…}` on stdout when listening.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';

const upstream = process.env.BARE_UPSTREAM_URL;
if (!upstream) throw new Error('BARE_UPSTREAM_URL is required');
const pool = new Pool(upstream, { connections: Number(process.env.BARE_CONNECTIONS ?? 256), keepAliveTimeout: 60_000 });

// Hop-by-hop headers are the connection's own; they must not be copied to the other side.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade']);
const copyHeaders = (headers) => Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.has(k)));

const server = createServer(async (req, res) => {
  try {
    // pool.stream writes the answer straight into `res`: no intermediate Readable.
    await pool.stream({ path: req.url, method: req.method, headers: copyHeaders(req.headers), body: req }, ({ statusCode, headers }) => {
      res.writeHead(statusCode, copyHeaders(headers));
      return res;
    });
  } catch (error) {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: `bare proxy: ${error.code ?? error.message}` } }));
  }
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.BARE_PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ ready: true, url: `http://127.0.0.1:${server.address().port}`, pid: process.pid }));
});
process.on('SIGTERM', () => server.close(() => pool.close().then(() => process.exit(0))));
