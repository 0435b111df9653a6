/**
 * Relays an upstream answer to the client and meters it.
 * - SSE answers are written to the socket chunk by chunk as they arrive (never buffered whole),
 *   and a tee of the same bytes feeds the SSE meter.
 * - Other answers (a JSON message, an error) are small: they are read whole, metered from their
 *   `usage`, and sent with the upstream's status.
 * `settle` runs before the answer's last byte leaves, so its usage is visible to the usage
 * endpoints by the time the client sees the answer end. When the client disconnects mid-stream
 * the relay stops writing but reads the upstream stream to its end, so the usage recorded is
 * the final count the upstream reports: tokens generated for a client that left were still
 * generated (and billed). A stalled upstream is cut by undici's body timeout.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { TokenCounts } from '../store/gateway-types';
import { ApiError } from '../http/errors';
import { redactBody } from '../redact';
import { ClientSink } from './client-sink';
import { clientResponseHeaders } from './headers';
import { SseMeter, usageFromJson, zeroCounts } from './metering';
import { PushBody, type CancelSignal, type UpstreamAnswer } from './upstreams/types';

/** Logged for answers whose client went away before the end (nginx's "client closed request"). */
export const CLIENT_CLOSED = 499;

const MID_STREAM_FAILURE = Buffer.from(
  `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'the connection to the upstream API failed mid-stream' } })}\n\n`,
);

export type Settle = (counts: TokenCounts, status: number) => Promise<void>;

function isEventStream(answer: UpstreamAnswer): boolean {
  const type = answer.headers['content-type'];
  return typeof type === 'string' && type.toLowerCase().startsWith('text/event-stream');
}

/**
 * Pumps the upstream body into the client socket with 'data' events (no async iterator: no
 * promise and microtask per chunk), pausing the upstream while the client's socket is full.
 * Resolves when the body ended; rejects when it broke (or was destroyed by our abort).
 */
function pump(body: Readable, res: ServerResponse, sink: ClientSink, meter: SseMeter, signal: CancelSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let drainer = sink.drainer;
    const resume = () => {
      drainer.off('drain', resume);
      res.off('close', resume);
      body.resume();
    };
    let gone = false;
    const onData = (chunk: Buffer) => {
      meter.feed(chunk);
      if (gone) return;
      const flowing = sink.write(chunk);
      if (!flowing) {
        body.pause();
        drainer = sink.drainer;
        drainer.on('drain', resume);
        res.on('close', resume);
      }
    };
    const finish = (error?: unknown) => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      drainer.off('drain', resume);
      res.off('close', resume);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onEnd = () => finish();
    const onError = (error: unknown) => finish(error);
    // Destroyed without 'error' (aborted): treat as broken, like the async iterator did.
    const onClose = () => finish(body.readableEnded ? undefined : new Error('upstream body closed early'));
    // The client left: stop writing, keep reading (and metering) to the end.
    const onAbort = () => {
      gone = true;
      resume();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    body.once('close', onClose);
  });
}

/**
 * The same for a PushBody: the upstream connection's parser calls `data` with each chunk and the
 * chunk is written to the client socket in that same call stack (no stream, no event emitter).
 */
function pumpPush(body: PushBody, res: ServerResponse, sink: ClientSink, meter: SseMeter, signal: CancelSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let drainer = sink.drainer;
    let waiting = false;
    const resume = () => {
      if (!waiting) return;
      waiting = false;
      drainer.off('drain', resume);
      res.off('close', resume);
      body.resume();
    };
    const finish = (error?: unknown) => {
      signal.removeEventListener('abort', onAbort);
      if (waiting) {
        waiting = false;
        drainer.off('drain', resume);
        res.off('close', resume);
      }
      if (error === undefined) resolve();
      else reject(error);
    };
    // A local flag, not signal.aborted: that getter validates its receiver on every chunk.
    let gone = false;
    // The client left: stop writing, keep reading (and metering) to the end.
    const onAbort = () => {
      gone = true;
      resume();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    body.start({
      data(chunk) {
        meter.feed(chunk);
        if (gone) return;
        const flowing = sink.write(chunk);
        if (!flowing && !waiting) {
          waiting = true;
          body.pause();
          drainer = sink.drainer;
          drainer.on('drain', resume);
          res.on('close', resume);
        }
      },
      end: () => finish(),
      error: (error) => finish(error),
    });
  });
}

export const UPSTREAM_BROKE_MESSAGE = 'the connection to the upstream API failed before its answer was complete';

/** An answer body longer than the reader's limit: not read further (the transfer is stopped). */
export class AnswerTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the upstream answer is over ${limit} bytes`);
  }
}

/** A PushBody read whole, up to `limit` bytes. */
function readPush(body: PushBody, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.start({
      data(chunk) {
        size += chunk.length;
        if (size <= limit) return void chunks.push(chunk);
        body.destroy(); // no end or error follows
        reject(new AnswerTooLarge(limit));
      },
      end: () => resolve(Buffer.concat(chunks, size)),
      error: reject,
    });
  });
}

/**
 * An answer body read whole, for answers that are one small document (JSON, an error).
 * Rejects with the transfer's error if it broke, or AnswerTooLarge past `limit` bytes.
 */
export async function readWhole(body: UpstreamAnswer['body'], limit = Infinity): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof PushBody) return readPush(body, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw new AnswerTooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

async function relayStream(reply: FastifyReply, answer: UpstreamAnswer, signal: CancelSignal, settle: Settle): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  // Headers set on the reply so far (request-id, x-partner-tokens-remaining…) plus the upstream's.
  const headers = { ...reply.getHeaders(), ...clientResponseHeaders(answer.headers, false) } as OutgoingHttpHeaders;
  res.writeHead(answer.status, headers);
  const sink = new ClientSink(res);
  const meter = new SseMeter();
  try {
    if (Buffer.isBuffer(answer.body)) {
      sink.write(answer.body);
      meter.feed(answer.body);
    } else if (answer.body instanceof PushBody) {
      await pumpPush(answer.body, res, sink, meter, signal);
    } else {
      await pump(answer.body, res, sink, meter, signal);
    }
  } catch {
    // The upstream connection broke (or we aborted it because the client left). Cut mid-event,
    // that event is closed off as a ping first, so the error event is read as one of its own.
    if (!signal.aborted) res.write(Buffer.concat([Buffer.from(meter.tornEventEnding), MID_STREAM_FAILURE]));
  }
  if (!Buffer.isBuffer(answer.body)) answer.body.destroy();
  await settle(meter.counts, signal.aborted ? CLIENT_CLOSED : answer.status);
  if (!signal.aborted) res.end();
}

async function relayWhole(reply: FastifyReply, answer: UpstreamAnswer, signal: CancelSignal, settle: Settle): Promise<void> {
  let body: Buffer;
  try {
    body = await readWhole(answer.body);
  } catch {
    await settle(zeroCounts(), signal.aborted ? CLIENT_CLOSED : 500);
    if (signal.aborted) {
      reply.hijack();
      return;
    }
    throw new ApiError('api_error', UPSTREAM_BROKE_MESSAGE);
  }
  const ok = answer.status >= 200 && answer.status < 300;
  await settle(ok ? usageFromJson(body) : zeroCounts(), signal.aborted ? CLIENT_CLOSED : answer.status);
  // An upstream error may quote the request (a key pasted as the model name): never said back.
  if (!ok) body = redactBody(body);
  reply.code(answer.status).headers(clientResponseHeaders(answer.headers, false)).send(body);
}

export function relay(reply: FastifyReply, answer: UpstreamAnswer, signal: CancelSignal, settle: Settle): Promise<void> {
  return isEventStream(answer) ? relayStream(reply, answer, signal, settle) : relayWhole(reply, answer, signal, settle);
}
