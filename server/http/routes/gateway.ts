/**
 * Registers the gateway's routes: /v1/messages, its pass-throughs and the usage endpoints.
 * The JSON routes live in a plugin whose parser keeps raw bytes (forwarded unchanged) and whose
 * 413 names the gateway's own limit.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { MESSAGES_BODY_LIMIT } from '../../gateway/config';
import type { AppDeps } from '../context';
import { ApiError } from '../errors';
import { keepRawJson } from '../raw-body';
import { messagesRoute } from './messages';
import { filesPassThroughRoutes, jsonPassThroughRoutes } from './pass-through';
import { usageRoutes } from './usage';

export function gatewayRoutes(app: FastifyInstance, deps: AppDeps): void {
  usageRoutes(app, deps);
  const gateway = deps.gateway;
  if (!gateway) return;
  void app.register(async (scope) => {
    keepRawJson(scope, MESSAGES_BODY_LIMIT);
    scope.setErrorHandler(async (error: FastifyError) => {
      // Rethrown errors reach the app's handler, which answers in the API's shape.
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        throw new ApiError('request_too_large', `request body exceeds ${MESSAGES_BODY_LIMIT} bytes (32 MB)`);
      }
      throw error;
    });
    messagesRoute(scope, deps, gateway);
    jsonPassThroughRoutes(scope, gateway);
  });
  filesPassThroughRoutes(app, gateway);
}
