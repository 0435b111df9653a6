/** Usage and request-log records → API objects, in the contract's exact field order. */
import type { MessageRequest, Usage } from '../../shared/api';
import { periodBounds } from '../gateway/period';
import type { RequestLogRecord, UsageTotals } from '../store/gateway-types';

export function usageJson(partnerId: string, tokensLimit: number | null, period: string, u: UsageTotals): Usage {
  const { start, end } = periodBounds(period);
  return {
    type: 'partner_usage',
    partner_id: partnerId,
    period_start: start.toISOString(),
    period_end: end.toISOString(),
    tokens_used: u.inputTokens + u.outputTokens + u.cacheCreationInputTokens + u.cacheReadInputTokens,
    tokens_limit: tokensLimit,
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    cache_creation_input_tokens: u.cacheCreationInputTokens,
    cache_read_input_tokens: u.cacheReadInputTokens,
    requests: u.requests,
  };
}

export function messageRequestJson(r: RequestLogRecord): MessageRequest {
  return {
    type: 'message_request',
    id: r.requestId,
    model: r.model,
    stream: r.stream,
    status: r.status,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    cache_creation_input_tokens: r.cacheCreationInputTokens,
    cache_read_input_tokens: r.cacheReadInputTokens,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    duration_ms: r.durationMs,
  };
}
