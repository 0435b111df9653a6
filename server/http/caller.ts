/** The authenticated caller of a request, for routes behind the auth hook. */
import type { FastifyRequest } from 'fastify';
import type { Caller } from './context';
import { ApiError } from './errors';

export function callerOf(request: FastifyRequest): Caller {
  // The auth hook runs first on every authenticated route; a missing caller is a wiring bug.
  if (!request.caller) throw new ApiError('api_error', 'internal server error');
  return request.caller;
}
