/**
 * A fake Anthropic Messages API on loopback for the gateway benchmarks.
 * JSON mode: a fixed small message with usage after a fixed delay. SSE mode (`"stream": true`):
 * 64 events in Anthropic's wire format, the first after the same delay, then INTERVAL ms apart.
 * Each event that has room for it carries its send time (process.hrtime.bigint(), CLOCK_MONOTONIC,
 * which every process on the machine shares) so a client can tell how long an event was held:
 * message_start in its message id (`msg_bench_<ns>`), each content_block_delta in its text.
 *
 * Config (env): FAKE_DELAY_MS (5), FAKE_SSE_EVENTS (64), FAKE_SSE_INTERVAL_MS (20), FAKE_PORT (0).
 * Prints one JSON line `{"ready":true,"url":…,"pid":…}` on stdout when listening.
 */
import { createServer } from 'node:http';

const DELAY_MS = Number(process.env.FAKE_DELAY_MS ?? 5);
const SSE_EVENTS = Number(process.env.FAKE_SSE_EVENTS ?? 64);
const INTERVAL_MS = Number(process.env.FAKE_SSE_INTERVAL_MS ?? 20);
const STRUCTURAL_EVENTS = 5; // message_start, content_block_start, content_block_stop, message_delta, message_stop
const DELTAS = SSE_EVENTS - STRUCTURAL_EVENTS;

const usage = { input_tokens: 12, output_tokens: DELTAS, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
const JSON_BODY = JSON.stringify({
  id: 'msg_bench_json',
  type: 'message',
  role: 'assistant',
  model: 'claude-bench-fake',
  content: [{ type: 'text', text: 'Hello from the fake upstream.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { ...usage, output_tokens: 8 },
});
const JSON_HEADERS = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(JSON_BODY), 'request-id': 'req_fakeupstream' };
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': 'req_fakeupstream' };

const frame = (name, data) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
// Nearly every event is a text delta: its frame is built once, around a placeholder for the
// stamp, so each send is one string concatenation rather than a JSON.stringify (this process
// shares the two cores with the proxy under test and the client).
const [DELTA_HEAD, DELTA_TAIL] = frame('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 't@STAMP@ ' } }).split('@STAMP@');

/** The i-th event (0-based) of a stream, stamped with the time it is written. */
function sseEvent(i) {
  const now = process.hrtime.bigint().toString();
  if (i === 0) {
    const message = { id: `msg_bench_${now}`, type: 'message', role: 'assistant', model: 'claude-bench-fake', content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } };
    return frame('message_start', { type: 'message_start', message });
  }
  if (i === 1) return frame('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  if (i < SSE_EVENTS - 3) return DELTA_HEAD + now + DELTA_TAIL;
  if (i === SSE_EVENTS - 3) return frame('content_block_stop', { type: 'content_block_stop', index: 0 });
  if (i === SSE_EVENTS - 2) return frame('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: DELTAS } });
  return frame('message_stop', { type: 'message_stop' });
}

/** Writes the events on an absolute schedule (start + i·interval) so timer drift does not accumulate. */
function stream(res) {
  const start = performance.now();
  let i = 0;
  let timer = null;
  res.on('close', () => clearTimeout(timer));
  const tick = () => {
    if (i === 0) res.writeHead(200, SSE_HEADERS);
    res.write(sseEvent(i));
    i += 1;
    if (i === SSE_EVENTS) return void res.end();
    timer = setTimeout(tick, Math.max(0, start + i * INTERVAL_MS - performance.now()));
  };
  tick();
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || !req.url.startsWith('/v1/messages')) {
    res.writeHead(404, { 'content-type': 'application/json' });
    return void res.end('{"type":"error","error":{"type":"not_found_error","message":"fake upstream: not found"}}');
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let streaming = false;
    try {
      streaming = JSON.parse(Buffer.concat(chunks).toString('utf8')).stream === true;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      return void res.end('{"type":"error","error":{"type":"invalid_request_error","message":"fake upstream: bad JSON"}}');
    }
    setTimeout(() => {
      if (streaming) return stream(res);
      res.writeHead(200, JSON_HEADERS);
      res.end(JSON_BODY);
    }, DELAY_MS);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.FAKE_PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ ready: true, url: `http://127.0.0.1:${server.address().port}`, pid: process.pid }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
