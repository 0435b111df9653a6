/** Store records → API objects, with the contract's exact field order. */
import type { AuditLog, Partner } from '../../shared/api';
import type { AuditRecord, PartnerRecord } from '../store/types';

export function partnerJson(p: PartnerRecord): Partner {
  return {
    type: 'partner',
    id: p.id,
    name: p.name,
    description: p.description,
    permissions: [...p.permissions],
    max_tokens_per_month: p.maxTokensPerMonth,
    requests_per_minute: p.requestsPerMinute,
    expires_at: p.expiresAt,
    active: p.active,
    key_hint: p.keyHint,
    key_created_at: p.keyCreatedAt,
    last_used_at: p.lastUsedAt,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

export function auditJson(e: AuditRecord): AuditLog {
  return {
    type: 'audit_log',
    id: e.id,
    timestamp: e.timestamp,
    action: e.action,
    partner_id: e.partnerId,
    partner_name: e.partnerName,
    actor: { type: e.actor.type, id: e.actor.id, name: e.actor.name },
    request_id: e.requestId,
    details: e.details,
  };
}
