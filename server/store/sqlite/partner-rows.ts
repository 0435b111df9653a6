/** The partners table's columns and the mapping of its rows to records, shared by the partner repositories. */
import type { Scope } from '../../../shared/api';
import type { PartnerRecord } from '../types';

export interface PartnerRow {
  id: string;
  name: string;
  description: string | null;
  permissions: string;
  max_tokens_per_month: number | null;
  requests_per_minute: number | null;
  expires_at: string | null;
  active: number;
  key_hash: string;
  key_hint: string;
  key_created_at: string;
  last_used_at: string | null;
  created_at: string;
  updated_at: string;
}

export const PARTNER_COLUMNS = `id, name, description, permissions, max_tokens_per_month, requests_per_minute, expires_at,
  active, key_hash, key_hint, key_created_at, last_used_at, created_at, updated_at`;

/** The same columns qualified by table alias `p`, for joins. */
export const P_COLUMNS = PARTNER_COLUMNS.split(',')
  .map((c) => `p.${c.trim()}`)
  .join(', ');

export function partnerFromRow(row: PartnerRow): PartnerRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: JSON.parse(row.permissions) as Scope[],
    maxTokensPerMonth: row.max_tokens_per_month,
    requestsPerMinute: row.requests_per_minute,
    expiresAt: row.expires_at,
    active: row.active === 1,
    keyHash: row.key_hash,
    keyHint: row.key_hint,
    keyCreatedAt: row.key_created_at,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
