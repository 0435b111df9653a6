/**
 * Header checks and authentication, run as an onRequest hook: before the body is even read,
 * so unauthenticated callers cannot make the server parse anything. Order is the contract's:
 * anthropic-version first, then the key, then the route's scope.
 */
import type { FastifyRequest } from 'fastify';
import { ADMIN_KEY_PREFIX, PARTNER_KEY_PREFIX } from '../../shared/api';
import { hashKey, hashesEqual, newAuditId } from '../keys';
import type { PartnerRecord } from '../store/types';
import { ApiError, invalidRequest } from './errors';
import { actorOf, holds, type AppDeps, type Caller } from './context';

const VERSION_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A version is a real calendar date: 2023-13-45 is as malformed as "latest". */
function isVersionDate(value: string): boolean {
  const m = VERSION_PATTERN.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
const INVALID_KEY = 'invalid x-api-key';
export const ADMIN_CANNOT_SEND = 'admin keys cannot call the Messages API gateway; use a partner key';

/** The key from `x-api-key`, else from `Authorization: Bearer` (what the SDKs send for auth tokens). */
function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  const auth = request.headers.authorization;
  const bearer = typeof auth === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return bearer?.[1] ?? null;
}

export function authHook(deps: AppDeps) {
  const { store, clock } = deps;

  async function rejectPartner(request: FastifyRequest, partner: PartnerRecord, reason: string, message: string) {
    await store.audit.append({
      id: newAuditId(),
      timestamp: clock().toISOString(),
      action: 'partner.auth_rejected',
      partnerId: partner.id,
      partnerName: partner.name,
      actor: { type: 'partner', id: partner.id, name: partner.name },
      requestId: request.id,
      details: { reason },
    });
    return new ApiError('authentication_error', message);
  }

  async function authenticate(request: FastifyRequest, key: string): Promise<Caller> {
    const hash = hashKey(key);
    // The prefix is public; only the part after it is secret, and that is compared by hash.
    if (key.startsWith(ADMIN_KEY_PREFIX)) {
      const adminKey = await store.adminKeys.findByKeyHash(hash);
      if (adminKey && hashesEqual(adminKey.keyHash, hash)) return { kind: 'admin', adminKey };
    } else if (key.startsWith(PARTNER_KEY_PREFIX)) {
      // Current and retired keys alike: a retired key may still be in its grace window, and
      // one past it deserves "rotated" rather than "invalid". Deleted partners are not found.
      const found = await store.partners.findKey(hash);
      if (found && hashesEqual(found.key.keyHash, hash)) {
        const { partner, key: partnerKey } = found;
        const now = clock();
        if (partnerKey.retiredAt !== null && (partnerKey.expiresAt === null || Date.parse(partnerKey.expiresAt) <= now.getTime())) {
          throw await rejectPartner(request, partner, 'rotated', 'this key has been rotated; use the new key');
        }
        if (!partner.active) throw await rejectPartner(request, partner, 'suspended', 'this partner is suspended');
        if (partner.expiresAt !== null && Date.parse(partner.expiresAt) <= now.getTime()) {
          throw await rejectPartner(request, partner, 'expired', 'this key has expired');
        }
        const at = now.toISOString();
        await store.partners.touchLastUsed(partner.id, at);
        return { kind: 'partner', partner: { ...partner, lastUsedAt: at } };
      }
    }
    throw new ApiError('authentication_error', INVALID_KEY);
  }

  return async function onRequest(request: FastifyRequest): Promise<void> {
    const version = request.headers['anthropic-version'];
    if (version === undefined) throw invalidRequest('anthropic-version: header is required');
    if (typeof version !== 'string' || !isVersionDate(version)) {
      throw invalidRequest('anthropic-version: expected a date such as 2023-06-01');
    }
    const key = presentedKey(request);
    if (key === null) throw new ApiError('authentication_error', 'x-api-key header is required');
    const caller = await authenticate(request, key);
    request.caller = caller;

    if (caller.kind === 'admin' && request.routeOptions.config.partnerOnly) {
      throw new ApiError('permission_error', ADMIN_CANNOT_SEND);
    }
    const scope = request.routeOptions.config.scope;
    if (scope && !holds(caller, scope)) {
      if (caller.kind === 'partner') {
        await store.audit.append({
          id: newAuditId(),
          timestamp: clock().toISOString(),
          action: 'partner.permission_denied',
          partnerId: caller.partner.id,
          partnerName: caller.partner.name,
          actor: actorOf(caller),
          requestId: request.id,
          details: { method: request.method, path: request.routeOptions.url ?? null, missing_scope: scope },
        });
      }
      throw new ApiError('permission_error', `this key does not hold the ${scope} scope`);
    }
  };
}
