/**
 * The real Messages API (or anything speaking it, such as the tests' fake): one undici Pool
 * with keep-alive to the configured origin. The owner's key is added here and only here.
 */
import { Readable } from 'node:stream';
import { Pool } from 'undici';
import { PushBody, UpstreamUnreachable, type Upstream, type UpstreamAnswer, type UpstreamCall } from './types';

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

  /**
   * A Messages call (`json` given): dispatched with a handler instead of pool.request, so no
   * Readable and no async iteration sit between the upstream socket and the relay.
   * - An event stream (asked for with `stream: true` and answered as text/event-stream) is handed
   *   over as a PushBody as soon as the status arrives: each chunk goes straight to the relay.
   * - Anything else (the JSON message, an error) is one small document the gateway reads whole
   *   anyway (to meter `usage`): collected into one Buffer, handed over at its end.
   */
  function dispatchMessages(call: UpstreamCall, streamed: boolean): Promise<UpstreamAnswer> {
    return new Promise((resolve, reject) => {
      const { signal } = call;
      let status = 0;
      let headers: UpstreamAnswer['headers'] = {};
      let push: PushBody | null = null;
      const chunks: Buffer[] = [];
      let size = 0;
      // A client that leaves once the call is under way does not cancel it: the model is
      // already generating (and billing), so the relay reads the answer to its end and records
      // the final usage. Only a client gone before the request starts saves the call.
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      pool.dispatch(
        {
          method: call.method,
          path: basePath + call.path,
          headers: { ...call.headers, 'x-api-key': options.apiKey },
          body: (call.body as Buffer | undefined) ?? null,
        },
        {
          onRequestStart(c) {
            if (signal.aborted) c.abort(signal.reason as Error);
          },
          onResponseStart(c, statusCode, responseHeaders) {
            status = statusCode;
            headers = responseHeaders as UpstreamAnswer['headers'];
            const type = headers['content-type'];
            if (streamed && typeof type === 'string' && type.toLowerCase().startsWith('text/event-stream')) {
              push = new PushBody(c);
              resolve({ status, headers, body: push });
            }
          },
          onResponseData(_c, chunk) {
            if (push) {
              push.push(chunk);
              return;
            }
            chunks.push(chunk);
            size += chunk.length;
          },
          onResponseEnd() {
            if (push) push.finish();
            else resolve({ status, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
          },
          onResponseError(_c, error) {
            if (push) {
              push.fail(error);
              return;
            }
            if (status === 0) {
              reject(error);
              return;
            }
            // The status came (the call was billed) but the body broke: hand over a body that
            // fails when read, exactly like a broken Readable from pool.request.
            const body = new Readable({
              read() {
                this.destroy(error);
              },
            });
            resolve({ status, headers, body });
          },
        },
      );
    });
  }

  async function attempt(call: UpstreamCall): Promise<UpstreamAnswer> {
    if (call.json !== undefined && (call.body === undefined || Buffer.isBuffer(call.body))) return dispatchMessages(call, call.json.stream === true);
    const res = await pool.request({
      method: call.method,
      path: basePath + call.path,
      headers: { ...call.headers, 'x-api-key': options.apiKey },
      body: call.body ?? null,
      // undici needs only aborted/reason/addEventListener/removeEventListener of it.
      signal: call.signal as AbortSignal,
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
