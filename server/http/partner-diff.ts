/**
 * Turns a validated PATCH body into store changes and the audit's before/after record, keeping
 * only the fields whose value really changes (so a no-op PATCH writes nothing).
 */
import type { Partner, UpdatePartnerValues } from '../../shared/api';
import type { PartnerChanges, PartnerRecord } from '../store/types';
import { partnerJson } from './serialize';

type Field = keyof UpdatePartnerValues;

const STORE_FIELD: Record<Field, keyof PartnerChanges> = {
  name: 'name',
  description: 'description',
  permissions: 'permissions',
  max_tokens_per_month: 'maxTokensPerMonth',
  requests_per_minute: 'requestsPerMinute',
  expires_at: 'expiresAt',
  active: 'active',
};

export interface PartnerDiff {
  changes: PartnerChanges;
  audit: Partial<Record<Field, { before: unknown; after: unknown }>>;
}

function same(before: unknown, after: unknown): boolean {
  // Scopes are a set: the same scopes in another order are no change.
  if (Array.isArray(before) && Array.isArray(after)) {
    return before.length === after.length && after.every((s) => before.includes(s));
  }
  return before === after;
}

export function diffPartner(current: PartnerRecord, body: UpdatePartnerValues): PartnerDiff {
  const before: Partner = partnerJson(current);
  const diff: PartnerDiff = { changes: {}, audit: {} };
  for (const field of Object.keys(STORE_FIELD) as Field[]) {
    const after = body[field];
    if (after === undefined || same(before[field], after)) continue;
    (diff.changes as Record<string, unknown>)[STORE_FIELD[field]] = after;
    diff.audit[field] = { before: before[field], after };
  }
  return diff;
}
