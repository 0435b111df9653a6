/** Request-shape checks shared by routes: JSON content type, query strings, schema validation. */
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { validate } from '../../shared/api';
import { invalidRequest, JSON_CONTENT_TYPE_MESSAGE } from './errors';

/** POST bodies must be declared JSON; Fastify would otherwise accept text/plain, or no body at all. */
export function requireJsonContentType(request: FastifyRequest): void {
  const type = request.headers['content-type'];
  const media = typeof type === 'string' ? type.split(';')[0]!.trim().toLowerCase() : '';
  if (media !== 'application/json') throw invalidRequest(JSON_CONTENT_TYPE_MESSAGE);
}

/** Validates with a shared schema; the 400 names the field, as the contract demands. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, unknownLabel = 'unknown field'): T {
  const result = validate(schema, input);
  if (result.ok) return result.value;
  const { field, message } = result.error;
  // The shared schemas say "expected a JSON object" of the whole input; here that is the body.
  if (field === '' && message === 'expected a JSON object') throw invalidRequest(`body: ${message}`);
  // Query strings have parameters, not fields: say so, keeping the shared message otherwise.
  throw invalidRequest(message === `${field}: unknown field` ? `${field}: ${unknownLabel}` : message);
}

/** Routes that take no query parameters still reject them, so typos are not silently ignored. */
export function rejectQuery(request: FastifyRequest): void {
  const names = Object.keys(request.query as Record<string, unknown>);
  if (names.length > 0) throw invalidRequest(`${names[0]}: unknown query parameter`);
}
