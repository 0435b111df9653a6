/**
 * The contract's non-escalation rule: a partner key holding admin:write can never obtain or alter
 * a key more powerful than its own. It cannot grant a scope it lacks (create, PATCH — itself
 * included), nor PATCH, rotate or delete a partner holding such a scope. Admin keys hold every scope.
 */
import type { FastifyRequest } from 'fastify';
import type { Scope } from '../../shared/api';
import { newAuditId } from '../keys';
import type { PartnerRecord } from '../store/types';
import { actorOf, type AppDeps, type Caller } from './context';
import { ApiError } from './errors';

export interface EscalationCheck {
  /** The partner being changed, rotated or deleted. */
  target?: PartnerRecord;
  /** The scopes the partner will hold afterwards. */
  granting?: readonly Scope[];
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
  if (missing === undefined) return;

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
      missing_scope: missing,
      target_partner_id: check.target?.id ?? null,
    },
  });
  throw new ApiError('permission_error', message);
}
