/** Store records → API objects, with the contract's exact field order. */
import type { Partner } from '../../shared/api';
import type { PartnerRecord } from '../store/types';

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
