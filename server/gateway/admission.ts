/**
 * Checks 3 and 4 of the gateway (monthly token limit, then requests per minute), made by one
 * atomic store call that also records the reservation. A refusal is a 429 whose headers say
 * when trying again makes sense.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { newAuditId } from '../keys';
import type { Store, PartnerRecord } from '../store/types';
import { ApiError, STORAGE_RETRY_SECONDS } from '../http/errors';
import type { GatewayConfig } from './config';
import { RATE_WINDOW_MS } from './config';
import { periodOf, secondsToNextPeriod } from './period';

export const TOKEN_LIMIT_MESSAGE = 'this partner has reached its monthly token limit; it resets at the start of the next month (UTC)';

/** Refused for its own size while tokens remain: say how many, so the caller can ask for less. */
export function tooLargeMessage(worstCase: number, remaining: number): string {
  return (
    `this request may use up to ${worstCase} tokens (max_tokens plus an estimate of its input), but only ` +
    `${remaining} remain of this partner's monthly token limit; lower max_tokens, or wait for the next month (UTC)`
  );
}
export function unrecordableMessage(problem: string): string {
  return `the server cannot record usage right now (${problem}); no request is forwarded until it can, so none goes unmetered`;
}
export const RATE_LIMIT_MESSAGE = 'this partner has reached its requests-per-minute rate limit; retry after the number of seconds in retry-after';

export interface Admitted {
  period: string;
}

interface AdmissionContext {
  store: Store;
  clock: () => Date;
  gateway: GatewayConfig;
}

export async function admit(
  ctx: AdmissionContext,
  request: FastifyRequest,
  reply: FastifyReply,
  partner: PartnerRecord,
  worstCase: number,
): Promise<Admitted> {
  const now = ctx.clock();
  const period = periodOf(now);
  const result = await ctx.store.gateway.admit({
    partnerId: partner.id,
    requestId: request.id,
    period,
    worstCase,
    tokenLimit: partner.maxTokensPerMonth,
    requestsPerWindow: partner.requestsPerMinute ?? ctx.gateway.defaultRequestsPerMinute,
    windowMs: RATE_WINDOW_MS,
    nowMs: now.getTime(),
  });
  if (result.tokensRemaining !== null) reply.header('x-partner-tokens-remaining', String(result.tokensRemaining));
  if (result.admitted) return { period };

  if (result.reason === 'token_limit') {
    // Only an exhausted limit is "reached" (once a period, in the audit log); a request too big
    // for what is left is refused with the number left, and the event stays for the real thing.
    const remaining = result.tokensRemaining ?? 0;
    if (remaining === 0) {
      await ctx.store.gateway.noteLimitReached(partner.id, period, {
        id: newAuditId(),
        timestamp: now.toISOString(),
        action: 'partner.usage_limit_reached',
        partnerId: partner.id,
        partnerName: partner.name,
        actor: { type: 'partner', id: partner.id, name: partner.name },
        requestId: request.id,
        details: { period, max_tokens_per_month: partner.maxTokensPerMonth, requested_worst_case: worstCase },
      });
    }
    // Waiting cannot help before the month turns, so tell SDKs not to retry at all.
    reply.header('retry-after', String(secondsToNextPeriod(now)));
    reply.header('x-should-retry', 'false');
    throw new ApiError('rate_limit_error', remaining === 0 ? TOKEN_LIMIT_MESSAGE : tooLargeMessage(worstCase, remaining));
  }
  if (result.reason === 'unrecordable') {
    // The server's fault, and temporary: SDKs retry a 500 on their own, after retry-after.
    throw new ApiError('api_error', unrecordableMessage(result.problem), STORAGE_RETRY_SECONDS);
  }
  reply.header('retry-after', String(Math.max(1, Math.ceil((result.retryAtMs - now.getTime()) / 1000))));
  throw new ApiError('rate_limit_error', RATE_LIMIT_MESSAGE);
}
