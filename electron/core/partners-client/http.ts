import type { z } from 'zod';
import { httpError, transportError, unreadableAnswer } from './errors';

export const ANTHROPIC_VERSION = '2023-06-01';
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface HttpOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface ApiRequest<T extends z.ZodType> {
  baseUrl: string;
  adminKey: string;
  method: 'GET' | 'POST';
  /** Path under the base URL, with its query: "/v1/partners?limit=1". */
  path: string;
  body?: unknown;
  /** What a successful answer must look like; anything else is a server_error. */
  answer: T;
}

/** Joins without losing a path prefix in the base URL (https://host/partners-api). */
export function apiUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

/**
 * One call to a Partners API server. Every failure becomes a CoreError; the key travels in a
 * header only and is never part of a message, because messages are built from status, host
 * and the server's own (key-free, per the API contract) error text.
 */
export async function callApi<T extends z.ZodType>(request: ApiRequest<T>, options: HttpOptions = {}): Promise<z.output<T>> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = {
    'x-api-key': request.adminKey,
    'anthropic-version': ANTHROPIC_VERSION,
    accept: 'application/json',
  };
  if (request.body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  let text: string;
  try {
    // One deadline for the whole exchange, body included: a server that stalls mid-answer
    // is as unusable as one that never answers.
    const signal = AbortSignal.timeout(timeoutMs);
    response = await doFetch(apiUrl(request.baseUrl, request.path), {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal,
    });
    text = await response.text();
  } catch (error) {
    throw transportError(error, request.baseUrl, timeoutMs);
  }

  const json = parseJson(text);
  if (!response.ok) throw httpError(response.status, json, response.headers.get('retry-after'), request.baseUrl);
  const parsed = request.answer.safeParse(json);
  if (!parsed.success) throw unreadableAnswer(response.status, request.baseUrl);
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
