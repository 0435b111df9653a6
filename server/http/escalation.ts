/**
 * The contract's non-escalation rule: a partner key holding admin:write can never obtain or alter
 * a key more powerful than its own. It cannot grant a scope it lacks (create, PATCH — itself
 * included), nor PATCH, rotate or delete a partner holding such a scope. Admin keys hold every scope.
 *
 * Limits make a key powerful too: a capped key that could lift its own cap, mint an uncapped
 * child or push its own expiry out would have escaped its owner's control as surely as with a
 * scope. So the same rule covers the monthly token limit, an explicit requests-per-minute
 * limit and the expiry: what the caller has set for itself bounds what it may create or change.
 */
import type { FastifyRequest } from 'fastify';
import type { Scope } from '../../shared/api';
import { newAuditId } from '../keys';
import type { PartnerRecord } from '../store/types';
import { actorOf, type AppDeps, type Caller } from './context';
import { ApiError } from './errors';

/** The limits a partner holds (or will hold), as the API writes them. */
export interface PartnerLimits {
  max_tokens_per_month: number | null;
  requests_per_minute: number | null;
  expires_at: string | null;
}

export interface EscalationCheck {
  /** The partner being changed, rotated or deleted. */
  target?: PartnerRecord;
  /** The scopes the partner will hold afterwards. */
  granting?: readonly Scope[];
  /** The limits the partner will hold afterwards (create, PATCH). */
  limits?: PartnerLimits;
}

export function limitsOf(partner: PartnerRecord): PartnerLimits {
  return {
    max_tokens_per_month: partner.maxTokensPerMonth,
    requests_per_minute: partner.requestsPerMinute,
    expires_at: partner.expiresAt,
  };
}

/** The first limit in which `limits` exceed the caller's own, with that bound in words ("this key's …"); null when within. */
function exceededLimit(own: PartnerRecord, limits: PartnerLimits): { field: keyof PartnerLimits; bound: string } | null {
  const cappedBy = (mine: number | null, theirs: number | null) => mine !== null && (theirs === null || theirs > mine);
  if (cappedBy(own.maxTokensPerMonth, limits.max_tokens_per_month)) {
    return { field: 'max_tokens_per_month', bound: `this key's limit of ${own.maxTokensPerMonth} tokens` };
  }
  if (cappedBy(own.requestsPerMinute, limits.requests_per_minute)) {
    return { field: 'requests_per_minute', bound: `this key's limit of ${own.requestsPerMinute} requests per minute` };
  }
  const expires = (at: string | null) => (at === null ? Infinity : Date.parse(at));
  if (own.expiresAt !== null && expires(limits.expires_at) > expires(own.expiresAt)) {
    return { field: 'expires_at', bound: `this key's expiry (${own.expiresAt})` };
  }
  return null;
}

export async function refuseEscalation(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  request: FastifyRequest,
  caller: Caller,
  check: EscalationCheck,
): Promise<void> {
  if (caller.kind !== 'partner') return;
  const held = caller.partner.permissions;
  const lacking = (scopes: readonly Scope[] | undefined) => scopes?.find((s) => !held.includes(s));

  let missing = lacking(check.target?.permissions);
  let message = `cannot change ${check.target?.id ?? 'this partner'}: it holds ${missing}, which this key does not hold`;
  if (missing === undefined) {
    missing = lacking(check.granting);
    message = `permissions: cannot grant ${missing}, which this key does not hold`;
  }
  let exceeded: ReturnType<typeof exceededLimit> = null;
  if (missing === undefined && check.target) {
    exceeded = exceededLimit(caller.partner, limitsOf(check.target));
    if (exceeded) message = `cannot change ${check.target.id}: its ${exceeded.field} goes beyond ${exceeded.bound}`;
  }
  if (missing === undefined && !exceeded && check.limits) {
    exceeded = exceededLimit(caller.partner, check.limits);
    if (exceeded) message = `${exceeded.field}: cannot go beyond ${exceeded.bound}`;
  }
  if (missing === undefined && !exceeded) return;

  await deps.store.audit.append({
    id: newAuditId(),
    timestamp: deps.clock().toISOString(),
    action: 'partner.permission_denied',
    partnerId: caller.partner.id,
    partnerName: caller.partner.name,
    actor: actorOf(caller),
    requestId: request.id,
    details: {
      method: request.method,
      path: request.routeOptions.url ?? null,
      ...(missing !== undefined ? { missing_scope: missing } : { exceeds_own: exceeded?.field }),
      target_partner_id: check.target?.id ?? null,
    },
  });
  throw new ApiError('permission_error', message);
}
