/**
 * Which headers cross the gateway. Inbound: the client's `anthropic-*` headers (version, beta,
 * …) and the body's content type and length; never its x-api-key or Authorization, which hold
 * the partner's key. Outbound: what a client of the Messages API relies on; our own request-id
 * stays, and the upstream's moves to `upstream-request-id`.
 */
import type { IncomingHttpHeaders } from 'node:http';

export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, withLength = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in incoming) {
    const keep =
      name.startsWith('anthropic-') || name === 'content-type' || (withLength && name === 'content-length');
    if (!keep) continue;
    const value = incoming[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const RELAYED = new Set(['content-type', 'retry-after', 'x-should-retry', 'content-disposition', 'content-length']);

/** The upstream's answer headers a client may see. content-length only where the body is relayed as is. */
export function clientResponseHeaders(
  upstream: Record<string, string | string[] | undefined>,
  keepLength: boolean,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined) continue;
    if (name === 'request-id') out['upstream-request-id'] = value;
    else if (name.startsWith('anthropic-ratelimit-') || (RELAYED.has(name) && (keepLength || name !== 'content-length'))) {
      out[name] = value;
    }
  }
  return out;
}
