/** What the gateway needs from an upstream: send one request, get status, headers and a body. */
import type { Readable } from 'node:stream';

/**
 * What an upstream call needs from a cancellation signal: the part of AbortSignal it uses, so a
 * plain AbortSignal fits, and so does the gateway's lighter per-request ClientGone.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface UpstreamCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path and query exactly as the client sent them, e.g. `/v1/messages?beta=true`. */
  path: string;
  /** Already filtered: `anthropic-*`, content-type and content-length only. Never a client key. */
  headers: Record<string, string>;
  /** The raw bytes (JSON routes) or the raw request stream (file uploads), never re-serialised. */
  body?: Buffer | Readable;
  /** The parsed JSON body, when the gateway has already parsed it (the sandbox reads it). */
  json?: Record<string, unknown>;
  signal: CancelSignal;
}

export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /**
   * Streamed bodies arrive chunk by chunk (a Readable, or a PushBody for streamed Messages
   * answers); the sandbox, and the anthropic upstream for non-streaming Messages calls, hand
   * over a finished buffer.
   */
  body: Readable | Buffer | PushBody;
}

export interface Upstream {
  readonly kind: 'sandbox' | 'anthropic';
  /** Rejects with UpstreamUnreachable when no answer could be obtained. */
  send(call: UpstreamCall): Promise<UpstreamAnswer>;
  close(): Promise<void>;
}

/** The upstream could not be reached (or failed before sending any status); nothing to relay. */
export class UpstreamUnreachable extends Error {
  constructor(readonly code: string) {
    super(`upstream unreachable: ${code}`);
    this.name = 'UpstreamUnreachable';
  }
}

/** Where a PushBody delivers: called synchronously from the upstream connection's parser. */
export interface ChunkSink {
  data(chunk: Buffer): void;
  end(): void;
  error(error: unknown): void;
}

/**
 * A streamed answer body without a Readable: the upstream's dispatch handler pushes each chunk
 * straight to the sink (the relay writes it to the client socket in the same call stack). Chunks
 * that arrive before the relay attaches are queued. pause/resume are the backpressure valve.
 */
export class PushBody {
  private sink: ChunkSink | null = null;
  private queued: Buffer[] = [];
  private state: 'open' | 'ended' | 'failed' | 'destroyed' = 'open';
  private failure: unknown = null;
  private paused = false;

  constructor(private readonly control: { pause(): void; resume(): void; abort(reason?: unknown): void }) {}

  /** Upstream side. */
  push(chunk: Buffer): void {
    if (this.state !== 'open') return;
    if (this.sink) this.sink.data(chunk);
    else this.queued.push(chunk);
  }

  finish(): void {
    if (this.state !== 'open') return;
    this.state = 'ended';
    this.sink?.end();
  }

  fail(error: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.failure = error;
    this.sink?.error(error);
  }

  /** Consumer side: delivers what was queued, then everything as it arrives. */
  start(sink: ChunkSink): void {
    this.sink = sink;
    const queued = this.queued;
    this.queued = [];
    for (const chunk of queued) sink.data(chunk);
    if (this.state === 'ended') sink.end();
    else if (this.state === 'failed') sink.error(this.failure);
  }

  pause(): void {
    if (this.state !== 'open') return;
    this.paused = true;
    this.control.pause();
  }

  /**
   * Takes effect in a microtask, once the current call stack has unwound. The relay can be told
   * to resume from inside another upstream connection's parser: writing to a pipelined answer
   * still queued behind this one makes Node emit 'drain' on the answer that owns the client
   * socket, synchronously. undici cannot resume a parser while any parser is running (it asserts,
   * and the answer would stay paused for good).
   */
  resume(): void {
    if (this.state !== 'open' || !this.paused) return;
    this.paused = false;
    queueMicrotask(() => {
      if (this.state === 'open' && !this.paused) this.control.resume();
    });
  }

  /** Stops the upstream transfer if it is still running; idempotent. */
  destroy(): void {
    if (this.state !== 'open') return;
    this.state = 'destroyed';
    this.queued = [];
    this.control.abort(new Error('answer body destroyed'));
  }
}
