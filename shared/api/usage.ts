/** Usage and request-history objects as the API returns them, and the query strings that read them. */
import { z } from 'zod';
import { ONE_CURSOR, listQueryShape } from './list';

const PERIOD_EXPECTED = 'expected a month such as 2026-06 (YYYY-MM, UTC)';
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

const period = z.string({ error: PERIOD_EXPECTED }).regex(PERIOD_PATTERN, { error: PERIOD_EXPECTED });

/** Query of GET /v1/partners/{id}/usage: an optional period (default: the current month). */
export const usageQuerySchema = z.strictObject({ period: period.optional() });

/** Query of GET /v1/usage: a period plus pagination over partners (newest first). */
export const usageListQuerySchema = z.strictObject({ ...listQueryShape, period: period.optional() }).refine(ONE_CURSOR.check, ONE_CURSOR.params);

/** Query of GET /v1/messages/history: pagination over the caller's own requests (newest first). */
export { listQuerySchema as historyQuerySchema } from './list';

const count = z.number().int().min(0);

/**
 * One partner's usage in one calendar month (UTC). `period_end` is the first instant of the next
 * month (exclusive); `tokens_used` is the sum of the four token counts; `tokens_limit` mirrors
 * the partner's `max_tokens_per_month`; `requests` counts requests admitted and forwarded.
 */
export const usageSchema = z.object({
  type: z.literal('partner_usage'),
  partner_id: z.string(),
  period_start: z.string(),
  period_end: z.string(),
  tokens_used: count,
  tokens_limit: z.number().int().nullable(),
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
  requests: count,
});

export type Usage = z.infer<typeof usageSchema>;

/** One entry of a partner's request history: metadata only, never content. */
export const messageRequestSchema = z.object({
  type: z.literal('message_request'),
  /** The gateway's request ID (the `request-id` header of that answer). */
  id: z.string(),
  model: z.string().nullable(),
  stream: z.boolean(),
  /** The status the client received; 499 = the client went away before the answer ended. */
  status: z.number().int(),
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
  started_at: z.string(),
  finished_at: z.string(),
  duration_ms: z.number().min(0),
});

export type MessageRequest = z.infer<typeof messageRequestSchema>;
