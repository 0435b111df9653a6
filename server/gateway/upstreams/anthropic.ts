/**
 * The real Messages API (or anything speaking it, such as the tests' fake): one undici Pool
 * with keep-alive to the configured origin. The owner's key is added here and only here.
 */
import { Pool } from 'undici';
import { UpstreamUnreachable, type Upstream, type UpstreamAnswer, type UpstreamCall } from './types';

export interface AnthropicUpstreamOptions {
  url: string; // e.g. https://api.anthropic.com (a path prefix is kept)
  apiKey: string;
}

// Long answers are legitimate: a non-streaming request may take minutes before its first byte.
const TEN_MINUTES = 10 * 60 * 1000;

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; cause?: { code?: unknown } };
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : 'network_error';
  return code;
}

export function anthropicUpstream(options: AnthropicUpstreamOptions): Upstream {
  const url = new URL(options.url);
  const basePath = url.pathname.replace(/\/+$/, '');
  const pool = new Pool(url.origin, {
    // No cap: every concurrent stream holds a connection for its whole length, and a capped pool
    // would queue new requests behind long streams (time to first byte = the wait for a free socket).
    connections: null,
    keepAliveTimeout: 30_000,
    headersTimeout: TEN_MINUTES,
    bodyTimeout: TEN_MINUTES,
  });

  async function attempt(call: UpstreamCall): Promise<UpstreamAnswer> {
    const res = await pool.request({
      method: call.method,
      path: basePath + call.path,
      headers: { ...call.headers, 'x-api-key': options.apiKey },
      body: call.body ?? null,
      signal: call.signal,
    });
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  return {
    kind: 'anthropic',
    async send(call) {
      try {
        return await attempt(call);
      } catch (error) {
        if (call.signal.aborted) throw error;
        const code = errorCode(error);
        // Refused means not one byte left: a single retry cannot duplicate a request. A streamed
        // body (file upload) was consumed by the first try, so it cannot be sent again.
        if (code === 'ECONNREFUSED' && !(call.body && !Buffer.isBuffer(call.body))) {
          try {
            return await attempt(call);
          } catch (retryError) {
            if (call.signal.aborted) throw retryError;
            throw new UpstreamUnreachable(errorCode(retryError));
          }
        }
        throw new UpstreamUnreachable(code);
      }
    },
    async close() {
      await pool.close();
    },
  };
}
