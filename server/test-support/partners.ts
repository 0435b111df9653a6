/** Helpers for tests of the management API: create partners, read their audit trail. */
import { expect } from 'vitest';
import type { AuditLog, CreatedPartner, Page } from '../../shared/api';
import type { Harness } from './harness';

export async function createPartner(
  h: Harness,
  body: Record<string, unknown> = {},
  key?: string,
): Promise<CreatedPartner> {
  const a = await h.call('POST', '/v1/partners', {
    body: { name: 'partner', permissions: ['messages:write'], ...body },
    ...(key !== undefined ? { key } : {}),
  });
  expect(a.status).toBe(201);
  return a.body as CreatedPartner;
}

/** The partner's audit entries, newest first, as the API returns them. */
export async function auditOf(h: Harness, partnerId: string, query = ''): Promise<AuditLog[]> {
  const a = await h.call('GET', `/v1/audit-logs?partner_id=${partnerId}&limit=1000${query}`);
  expect(a.status).toBe(200);
  return (a.body as Page<AuditLog>).data;
}

/** A GET only a live key can make: 200 when the key works. */
export async function keyStatus(h: Harness, key: string): Promise<number> {
  return (await h.call('GET', '/v1/partners?limit=1', { key })).status;
}
