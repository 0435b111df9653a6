/** POST /v1/partners, GET /v1/partners, GET /v1/partners/{id}. */
import type { FastifyInstance } from 'fastify';
import {
  LIST_LIMIT_DEFAULT,
  createPartnerSchema,
  isPartnerId,
  listQuerySchema,
  type Page,
  type Partner,
} from '../../../shared/api';
import { hashKey, keyHint, newAuditId, newPartnerId, newPartnerKey } from '../../keys';
import type { PartnerRecord } from '../../store/types';
import { callerOf } from '../caller';
import { actorOf, type AppDeps } from '../context';
import { refuseEscalation } from '../escalation';
import { invalidRequest, notFound } from '../errors';
import { parseWith, rejectQuery, requireJsonContentType } from '../input';
import { partnerJson } from '../serialize';

export function partnerRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { store, clock } = deps;

  app.post('/v1/partners', { config: { scope: 'admin:write' } }, async (request, reply) => {
    rejectQuery(request);
    requireJsonContentType(request);
    const caller = callerOf(request);
    // The same schema the desktop form uses, so both sides accept and refuse the same inputs.
    const input = parseWith(createPartnerSchema(clock), request.body);

    await refuseEscalation(deps, request, caller, {
      granting: input.permissions,
      limits: {
        max_tokens_per_month: input.max_tokens_per_month ?? null,
        requests_per_minute: input.requests_per_minute ?? null,
        expires_at: input.expires_at ?? null,
      },
    });

    const now = clock().toISOString();
    const apiKey = newPartnerKey();
    const partner: PartnerRecord = {
      id: newPartnerId(),
      name: input.name,
      description: input.description ?? null,
      permissions: input.permissions,
      maxTokensPerMonth: input.max_tokens_per_month ?? null,
      requestsPerMinute: input.requests_per_minute ?? null,
      expiresAt: input.expires_at ?? null,
      active: true,
      keyHash: hashKey(apiKey),
      keyHint: keyHint(apiKey),
      keyCreatedAt: now,
      lastUsedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    const { type: _type, id: _id, key_hint: _hint, ...details } = partnerJson(partner);
    await store.partners.create(partner, {
      id: newAuditId(),
      timestamp: now,
      action: 'partner.created',
      partnerId: partner.id,
      partnerName: partner.name,
      actor: actorOf(caller),
      requestId: request.id,
      details,
    });
    return reply.code(201).send({ ...partnerJson(partner), api_key: apiKey });
  });

  app.get('/v1/partners', { config: { scope: 'admin:read' } }, async (request): Promise<Page<Partner>> => {
    const query = parseWith(listQuerySchema, request.query, 'unknown query parameter');
    const page = await store.partners.list({
      limit: query.limit ?? LIST_LIMIT_DEFAULT,
      ...(query.after_id !== undefined ? { afterId: query.after_id } : {}),
      ...(query.before_id !== undefined ? { beforeId: query.before_id } : {}),
    });
    if (!page) throw invalidRequest(`${query.after_id !== undefined ? 'after_id' : 'before_id'}: no partner with this ID`);
    const data = page.items.map(partnerJson);
    return { data, has_more: page.hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  });

  app.get<{ Params: { id: string } }>(
    '/v1/partners/:id',
    { config: { scope: 'admin:read' } },
    async (request): Promise<Partner> => {
      rejectQuery(request);
      const { id } = request.params;
      // IDs are case-sensitive and exact: anything off-pattern cannot exist.
      const partner = isPartnerId(id) ? await store.partners.get(id) : null;
      if (!partner) throw notFound('partner not found');
      return partnerJson(partner);
    },
  );
}
