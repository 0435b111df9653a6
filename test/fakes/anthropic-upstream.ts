/**
 * A fake Anthropic API on a loopback port for gateway tests: real HTTP, the Messages API's exact
 * JSON and SSE wire formats, scriptable usage (cache tokens included) and failures, and a record
 * of every request it received (headers and body), so tests can check what crossed the gateway.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WireUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export interface Script {
  /** Non-2xx: answered as `{"type":"error","error":{type,message}}` with `headers`. */
  status?: number;
  error?: { type: string; message: string };
  headers?: Record<string, string>;
  /** Streamed answers: usage of message_start, then one message_delta per entry (cumulative counts). */
  startUsage?: WireUsage;
  deltaUsages?: WireUsage[];
  /** Non-streamed answers: the usage object. */
  usage?: WireUsage;
  /** Text pieces, one content_block_delta each. */
  pieces?: string[];
  /** Ends the stream after the deltas with `event: error` (and no message_delta/stop). */
  errorEvent?: { type: string; message: string };
  /** Milliseconds between streamed events, or before a non-streamed answer (a slow model). */
  delayMs?: number;
  /**
   * Streamed answers: awaited before sending event `index` (1, 2, …), e.g. until the client has
   * received the events before it. A rejection ends the stream there (the connection is destroyed).
   */
  gate?: (index: number) => Promise<void>;
}

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export const DEFAULT_USAGE = { input_tokens: 25, output_tokens: 12, cache_creation_input_tokens: 7, cache_read_input_tokens: 100 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sse(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

function message(model: string, content: unknown[], usage: WireUsage, stopReason: string | null) {
  return { id: 'msg_fake0000000000000000000', type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: null, usage };
}

export class FakeUpstream {
  readonly received: Received[] = [];
  /** Streams whose client (the gateway) went away before the end. */
  abortedStreams = 0;
  private queue: Script[] = [];
  /** Scripts chosen by the request's model, whatever order requests arrive in (pipelining tests). */
  private readonly byModel = new Map<string, Script>();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Scripts for the next requests, in order; afterwards every answer is the default one. */
  next(...scripts: Script[]): void {
    this.queue.push(...scripts);
  }

  /** The script for every Messages request naming `model`, ahead of the queue. */
  forModel(model: string, script: Script): void {
    this.byModel.set(model, script);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? '';
    this.received.push({ method: req.method ?? '', path, headers: req.headers, body });
    const route = path.split('?')[0];
    const json = route === '/v1/messages' ? (JSON.parse(body.toString()) as Record<string, unknown>) : null;
    const script = (json && this.byModel.get(String(json.model))) ?? this.queue.shift() ?? {};
    const headers = { 'request-id': 'req_upstream_fake_01', ...script.headers };

    if (script.status && script.status >= 300) {
      const error = script.error ?? { type: 'api_error', message: 'scripted failure' };
      res.writeHead(script.status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ type: 'error', error, request_id: 'req_upstream_fake_01' }));
      return;
    }
    if (json) return this.messages(json, script, headers, res);
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    if (route === '/v1/messages/count_tokens') res.end(JSON.stringify({ input_tokens: 42 }));
    else if (route?.startsWith('/v1/models')) res.end(JSON.stringify({ data: [{ type: 'model', id: 'claude-fake', display_name: 'Fake', created_at: '2026-01-01T00:00:00Z' }], has_more: false, first_id: 'claude-fake', last_id: 'claude-fake' }));
    else res.end(JSON.stringify({ type: 'file', id: 'file_fake', method: req.method, bytes: body.length }));
  }

  private async messages(body: Record<string, unknown>, script: Script, headers: Record<string, string>, res: ServerResponse) {
    const model = String(body.model);
    const pieces = script.pieces ?? ['Hello', ' from', ' the', ' fake'];
    if (body.stream !== true) {
      if (script.delayMs) await sleep(script.delayMs);
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(message(model, [{ type: 'text', text: pieces.join('') }], script.usage ?? DEFAULT_USAGE, 'end_turn')));
      return;
    }
    let closedEarly = false;
    res.on('close', () => {
      if (!res.writableFinished) closedEarly = true;
    });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
    const { output_tokens: _output, ...startDefault } = DEFAULT_USAGE;
    const events = [
      sse('message_start', { type: 'message_start', message: message(model, [], script.startUsage ?? { ...startDefault, output_tokens: 1 }, null) }),
      sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      sse('ping', { type: 'ping' }),
      ...pieces.map((text) => sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
    ];
    if (script.errorEvent) {
      events.push(sse('error', { type: 'error', error: script.errorEvent }));
    } else {
      events.push(sse('content_block_stop', { type: 'content_block_stop', index: 0 }));
      for (const usage of script.deltaUsages ?? [DEFAULT_USAGE]) {
        events.push(sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage }));
      }
      events.push(sse('message_stop', { type: 'message_stop' }));
    }
    for (const [index, event] of events.entries()) {
      if (index > 0 && script.gate) {
        try {
          await script.gate(index);
        } catch {
          res.destroy();
          return;
        }
      }
      if (closedEarly) break;
      res.write(event);
      if (script.delayMs) await sleep(script.delayMs);
    }
    if (closedEarly) this.abortedStreams++;
    else res.end();
  }
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  return new FakeUpstream().start();
}
