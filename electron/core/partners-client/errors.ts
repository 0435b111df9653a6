import { CoreError } from '../errors';

/** The host part of a base URL, for messages: "Can't reach partners.example.com". */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/** A fetch that threw: the server was never heard from, or not in time. */
export function transportError(error: unknown, baseUrl: string, timeoutMs: number): CoreError {
  const host = hostOf(baseUrl);
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new CoreError('timeout', `${host} did not answer within ${Math.round(timeoutMs / 1000)} s. Try again later.`);
  }
  const code = networkCode(error);
  const why = code ? ` (${code})` : '';
  return new CoreError('offline', `Can't reach ${host}${why}. Check the address and your connection.`);
}

function networkCode(error: unknown): string | null {
  // undici wraps the socket error: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }).
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : null;
}

/** An HTTP error answer, mapped to what the window can act on. `status` is always kept. */
export function httpError(status: number, body: unknown, retryAfterHeader: string | null, baseUrl: string): CoreError {
  const host = hostOf(baseUrl);
  const serverMessage = messageOf(body);
  switch (status) {
    case 400: {
      const message = serverMessage ?? 'The server rejected the request.';
      const field = /^([A-Za-z_][\w.[\]]*): /.exec(message)?.[1];
      return new CoreError('invalid_input', message, field ? { status, field } : { status });
    }
    case 401:
      return new CoreError('unauthorized', `${host} rejected the admin key. Check that it is current.`, { status });
    case 403:
      return new CoreError('forbidden', serverMessage ?? `This key may not do that on ${host}.`, { status });
    case 404:
      return new CoreError('not_found', serverMessage ?? `${host} has no such object or path.`, { status });
    case 429: {
      const retryAfter = parseRetryAfter(retryAfterHeader);
      const wait = retryAfter !== undefined ? ` Try again in ${retryAfter} s.` : ' Try again shortly.';
      return new CoreError('rate_limited', `${host} is limiting requests.${wait}`, retryAfter !== undefined ? { status, retryAfter } : { status });
    }
    default:
      return new CoreError('server_error', `${host} answered with an error (HTTP ${status}).`, { status });
  }
}

export function unreadableAnswer(status: number, baseUrl: string): CoreError {
  return new CoreError('server_error', `${hostOf(baseUrl)} sent an answer Partnerdesk cannot read. Is this a Partners API server?`, {
    status,
  });
}

function messageOf(body: unknown): string | null {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === 'string' && message.length > 0 ? message : null;
}

/** `retry-after` is seconds, or an HTTP date; we report whole seconds either way. */
export function parseRetryAfter(header: string | null, now: Date = new Date()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}
