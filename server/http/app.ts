/**
 * Builds the Fastify app: no Fastify logger (our own one-line log instead), our request IDs,
 * a 64 KB body limit, and every error — ours or Fastify's — in the API's error shape.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { newRequestId } from '../keys';
import { authHook } from './auth';
import { clientErrorHandler } from './client-error';
import type { AppDeps } from './context';
import { ApiError, BODY_LIMIT, sendError, toApiError } from './errors';
import { logLine, registerRequestLog, safePath } from './request-log';
import { auditLogRoutes } from './routes/audit-logs';
import { partnerWriteRoutes } from './routes/partner-write';
import { partnerRoutes } from './routes/partners';
import { gatewayRoutes } from './routes/gateway';

/**
 * How long a request may take to arrive whole, headers and body; past it the client gets a 408
 * and the connection is closed. Fastify turns Node's limit off, and a client trickling a body
 * byte by byte then held its connection, and a graceful stop, for good. Ten minutes, like the
 * upstream's own timeouts: an upload to /v1/files (up to 500 MB) is the slowest honest request.
 */
export const REQUEST_TIMEOUT_MS = 10 * 60 * 1000;
const HEADERS_TIMEOUT_MS = 60_000;

export function buildApp(deps: AppDeps, requestTimeoutMs = REQUEST_TIMEOUT_MS): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    requestTimeout: requestTimeoutMs,
    // Given to Node's createServer as well: set only afterwards (as Fastify does with
    // requestTimeout), the limit was never enforced once a request's headers had arrived.
    // Node checks for overdue requests every 30 s; a shorter limit (tests) is checked oftener.
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
      connectionsCheckingInterval: Math.min(30_000, Math.ceil(requestTimeoutMs / 4)),
    },
    // Never trust a request-id sent by the client: IDs are ours, and the format is part of the contract.
    requestIdHeader: false,
    genReqId: () => newRequestId(),
    // Let requests on kept-alive connections finish normally while closing, instead of a raw 503 body.
    return503OnClosing: false,
    clientErrorHandler,
    // Long malformed IDs should reach the route and get its 404, not a router error.
    routerOptions: { maxParamLength: 1000 },
    frameworkErrors: (error, request, reply) => {
      reply.header('request-id', request.id);
      void sendError(reply, request, toApiError(error).error);
    },
  });

  registerRequestLog(app, deps);

  app.setErrorHandler(async (error: Error, request, reply) => {
    // Fastify parses bodies even on unknown routes; the missing route is the answer that matters.
    if (request.is404 && !(error instanceof ApiError)) {
      return sendError(reply, request, new ApiError('not_found_error', `no route for ${request.method} ${safePath(request.url)}`));
    }
    const mapped = toApiError(error);
    if (mapped.internal) {
      logLine(deps, { event: 'error', request_id: request.id, path: safePath(request.url), error: error.message });
    }
    return sendError(reply, request, mapped.error);
  });

  app.setNotFoundHandler(async (request, reply) => {
    return sendError(reply, request, new ApiError('not_found_error', `no route for ${request.method} ${safePath(request.url)}`));
  });

  // Every route below is authenticated. Unknown paths get a plain 404 without a key: the list
  // of routes is public in the contract anyway.
  void app.register(async (v1) => {
    v1.addHook('onRequest', authHook(deps));
    partnerRoutes(v1, deps);
    partnerWriteRoutes(v1, deps);
    auditLogRoutes(v1, deps);
    gatewayRoutes(v1, deps);
  });

  return app;
}
