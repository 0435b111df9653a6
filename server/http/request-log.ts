/**
 * Request IDs and the one-line-per-request log. The log never sees headers or bodies, so no
 * key, hash or Authorization header can reach it; the path is redacted in case a caller
 * pasted a key into the URL.
 */
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { redactKeys } from '../redact';
import type { AppDeps } from './context';

export function safePath(url: string): string {
  // Drop the query string entirely: it is where secrets end up when clients misbehave.
  return redactKeys(url.split('?')[0] ?? '');
}

export function logLine(deps: Pick<AppDeps, 'clock' | 'log'>, fields: Record<string, unknown>): void {
  deps.log(JSON.stringify({ time: deps.clock().toISOString(), ...fields }));
}

/** The sink of a server started without `log`: nobody reads the lines, so none are built. */
export const NO_LOG = (_line: string): void => {};

export function registerRequestLog(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('caller', null);
  app.decorateRequest('startedAt', 0);

  // Callback-style (not async) hooks: no promise and no extra microtask turn per request.
  app.addHook('onRequest', (request, reply, done) => {
    request.startedAt = performance.now();
    // Set first, so every answer carries it, errors from later hooks and parsers included.
    reply.header('request-id', request.id);
    done();
  });

  if (deps.log === NO_LOG) return;
  app.addHook('onResponse', (request, reply, done) => {
    logLine(deps, {
      event: 'request',
      method: request.method,
      path: safePath(request.url),
      status: reply.statusCode,
      request_id: request.id,
      actor: request.caller ? (request.caller.kind === 'admin' ? request.caller.adminKey.id : request.caller.partner.id) : null,
      ms: Math.round((performance.now() - request.startedAt) * 10) / 10,
    });
    done();
  });
}
