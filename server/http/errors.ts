/**
 * The one error shape of the API, and the mapping of Fastify's own errors into it: a client
 * must never see a Fastify default body, and bad input must never become a 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { API_ERROR_STATUS, type ApiErrorBody, type ApiErrorType } from '../../shared/api';
import { redactKeys } from '../redact';
import { StorageUnavailable } from '../store/types';

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly type: ApiErrorType,
    message: string,
    /** Sent as `retry-after` (seconds): the failure is temporary. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.status = API_ERROR_STATUS[type];
  }
}

/** How soon a caller refused for storage trouble (a write, a usage read, the gateway) should retry; SDKs retry a 500 on their own. */
export const STORAGE_RETRY_SECONDS = 5;

export const invalidRequest = (message: string) => new ApiError('invalid_request_error', message);
export const notFound = (message: string) => new ApiError('not_found_error', message);

/** Messages name the offending field or parameter; if a caller put a key there, it is not echoed. */
export function errorBody(type: ApiErrorType, message: string, requestId: string): ApiErrorBody {
  return { type: 'error', error: { type, message: redactKeys(message) }, request_id: requestId };
}

export const BODY_LIMIT = 64 * 1024;
export const JSON_CONTENT_TYPE_MESSAGE = 'content-type: expected application/json';

/** Fastify's framework errors, by code, as the API reports them. */
const FASTIFY_ERRORS: Record<string, [ApiErrorType, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['request_too_large', `request body exceeds ${BODY_LIMIT} bytes`],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['invalid_request_error', JSON_CONTENT_TYPE_MESSAGE],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid_request_error', 'body: expected a JSON object, got an empty body'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['invalid_request_error', 'body: not valid JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid_request_error', 'content-length does not match the body'],
  FST_ERR_BAD_URL: ['invalid_request_error', 'malformed URL'],
  // A path segment longer than the router's limit cannot be any resource's ID.
  FST_ERR_MAX_PARAM_LENGTH: ['not_found_error', 'not found'],
};

/** Decides type and message for anything thrown while handling a request. */
export function toApiError(error: FastifyError | Error): { error: ApiError; internal: boolean } {
  if (error instanceof ApiError) return { error, internal: false };
  // The caller is told why and when to retry; the log says it too, unless it already has.
  if (error instanceof StorageUnavailable) {
    return { error: new ApiError('api_error', error.message, STORAGE_RETRY_SECONDS), internal: !error.reported };
  }
  const fe = error as FastifyError;
  const known = fe.code ? FASTIFY_ERRORS[fe.code] : undefined;
  if (known) return { error: new ApiError(known[0], known[1]), internal: false };
  // The JSON parser throws SyntaxError (status 400) for malformed JSON and for __proto__ keys.
  if (fe.statusCode === 400 || error instanceof SyntaxError) {
    return { error: invalidRequest('body: not valid JSON'), internal: false };
  }
  if (fe.statusCode === 413) return { error: new ApiError('request_too_large', FASTIFY_ERRORS.FST_ERR_CTP_BODY_TOO_LARGE![1]), internal: false };
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { error: invalidRequest('invalid request'), internal: false };
  }
  return { error: new ApiError('api_error', 'internal server error'), internal: true };
}

export function sendError(reply: FastifyReply, request: FastifyRequest, error: ApiError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply
    .code(error.status)
    .header('content-type', 'application/json')
    .send(errorBody(error.type, error.message, request.id));
}
