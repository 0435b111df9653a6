/**
 * GET /v1/partners/{id}/usage, GET /v1/usage (admin, admin:read) and GET /v1/messages/history
 * (a partner's own log, messages:read). Usage is read straight from the store on every call:
 * no cache, so an answer that just ended is already counted.
 * A deleted partner's usage stays readable: the tokens it spent were billed all the same, so
 * its own usage answers by ID, and GET /v1/usage lists it for any period it was alive in.
 */
import type { FastifyInstance } from 'fastify';
import {
  LIST_LIMIT_DEFAULT,
  historyQuerySchema,
  isPartnerId,
  usageListQuerySchema,
  usageQuerySchema,
  type MessageRequest,
  type Page,
  type Usage,
} from '../../../shared/api';
import { periodBounds, periodOf } from '../../gateway/period';
import { callerOf } from '../caller';
import type { AppDeps } from '../context';
import { ApiError, invalidRequest, notFound } from '../errors';
import { parseWith } from '../input';
import { messageRequestJson, usageJson } from '../usage-json';

const ZERO = { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0, requests: 0 };

function pageRequest(query: { limit?: number | undefined; after_id?: string | undefined; before_id?: string | undefined }) {
  return {
    limit: query.limit ?? LIST_LIMIT_DEFAULT,
    ...(query.after_id !== undefined ? { afterId: query.after_id } : {}),
    ...(query.before_id !== undefined ? { beforeId: query.before_id } : {}),
  };
}

const cursorName = (query: { after_id?: string | undefined }) => (query.after_id !== undefined ? 'after_id' : 'before_id');

export function usageRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { store, clock } = deps;

  app.get<{ Params: { id: string } }>(
    '/v1/partners/:id/usage',
    { config: { scope: 'admin:read' } },
    async (request): Promise<Usage> => {
      const query = parseWith(usageQuerySchema, request.query, 'unknown query parameter');
      const { id } = request.params;
      const partner = isPartnerId(id) ? await store.partners.getIncludingDeleted(id) : null;
      if (!partner) throw notFound('partner not found');
      const period = query.period ?? periodOf(clock());
      return usageJson(partner.id, partner.maxTokensPerMonth, period, await store.usage.get(partner.id, period));
    },
  );

  app.get('/v1/usage', { config: { scope: 'admin:read' } }, async (request): Promise<Page<Usage>> => {
    const query = parseWith(usageListQuerySchema, request.query, 'unknown query parameter');
    const period = query.period ?? periodOf(clock());
    const page = await store.partners.list(pageRequest(query), { deletedSince: periodBounds(period).start.toISOString() });
    if (!page) throw invalidRequest(`${cursorName(query)}: no partner with this ID`);
    const totals = await store.usage.getMany(page.items.map((p) => p.id), period);
    const data = page.items.map((p) => usageJson(p.id, p.maxTokensPerMonth, period, totals.get(p.id) ?? ZERO));
    return { data, has_more: page.hasMore, first_id: data[0]?.partner_id ?? null, last_id: data.at(-1)?.partner_id ?? null };
  });

  app.get(
    '/v1/messages/history',
    { config: { scope: 'messages:read', partnerOnly: true } },
    async (request): Promise<Page<MessageRequest>> => {
      const caller = callerOf(request);
      if (caller.kind !== 'partner') throw new ApiError('api_error', 'internal server error');
      const query = parseWith(historyQuerySchema, request.query, 'unknown query parameter');
      const page = await store.requestLog.list(caller.partner.id, pageRequest(query));
      if (!page) throw invalidRequest(`${cursorName(query)}: no request with this ID in this partner's history`);
      const data = page.items.map(messageRequestJson);
      return { data, has_more: page.hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
    },
  );
}
