/** What the gateway needs from an upstream: send one request, get status, headers and a body. */
import type { Readable } from 'node:stream';

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
  signal: AbortSignal;
}

export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Streamed bodies arrive chunk by chunk; the sandbox may hand over a finished buffer. */
  body: Readable | Buffer;
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
