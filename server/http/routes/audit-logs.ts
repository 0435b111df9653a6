/** GET /v1/audit-logs: the audit trail, newest first, filtered and paginated. */
import type { FastifyInstance } from 'fastify';
import { LIST_LIMIT_DEFAULT, auditQuerySchema, type AuditLog, type Page } from '../../../shared/api';
import type { AppDeps } from '../context';
import { invalidRequest } from '../errors';
import { parseWith } from '../input';
import { auditJson } from '../serialize';

export function auditLogRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/v1/audit-logs', { config: { scope: 'admin:read' } }, async (request): Promise<Page<AuditLog>> => {
    const q = parseWith(auditQuerySchema, request.query, 'unknown query parameter');
    const page = await deps.store.audit.list({
      limit: q.limit ?? LIST_LIMIT_DEFAULT,
      ...(q.after_id !== undefined ? { afterId: q.after_id } : {}),
      ...(q.before_id !== undefined ? { beforeId: q.before_id } : {}),
      ...(q.partner_id !== undefined ? { partnerId: q.partner_id } : {}),
      ...(q.action !== undefined ? { action: q.action } : {}),
      ...(q.since !== undefined ? { since: q.since } : {}),
      ...(q.until !== undefined ? { until: q.until } : {}),
    });
    if (!page) throw invalidRequest(`${q.after_id !== undefined ? 'after_id' : 'before_id'}: no audit log entry with this ID`);
    const data = page.items.map(auditJson);
    return { data, has_more: page.hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  });
}
