/** Picks the upstream named by the server's options. */
import { anthropicUpstream } from './anthropic';
import { sandboxUpstream } from './sandbox';
import type { Upstream } from './types';

export const DEFAULT_UPSTREAM_URL = 'https://api.anthropic.com';

export interface UpstreamOptions {
  kind: 'sandbox' | 'anthropic';
  url?: string;
  apiKey?: string;
}

export function createUpstream(options: UpstreamOptions): Upstream {
  if (options.kind === 'sandbox') return sandboxUpstream();
  if (!options.apiKey) throw new Error('the anthropic upstream needs the owner\'s API key (ANTHROPIC_API_KEY)');
  return anthropicUpstream({ url: options.url ?? DEFAULT_UPSTREAM_URL, apiKey: options.apiKey });
}

export type { Upstream, UpstreamAnswer, UpstreamCall } from './types';
export { UpstreamUnreachable } from './types';
