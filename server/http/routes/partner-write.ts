/** PATCH /v1/partners/{id}, DELETE /v1/partners/{id}, POST /v1/partners/{id}/rotate. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isPartnerId, rotateKeySchema, updatePartnerSchema, type Partner, type PartnerKey } from '../../../shared/api';
import { hashKey, keyHint, newAuditId, newPartnerKey } from '../../keys';
import type { AuditRecord, PartnerRecord } from '../../store/types';
import { callerOf } from '../caller';
import { actorOf, type AppDeps } from '../context';
import { limitsOf, refuseEscalation, type PartnerLimits } from '../escalation';
import { invalidRequest, notFound } from '../errors';
import { parseWith, rejectQuery, requireJsonContentType } from '../input';
import { acceptEmptyJsonBodies } from '../lenient-json';
import { diffPartner } from '../partner-diff';
import { partnerJson } from '../serialize';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

const NOT_FOUND = 'partner not found';

/** The limits a PATCH body sets (a field absent from the body keeps its current value). */
function pickLimits(body: Partial<PartnerLimits>): Partial<PartnerLimits> {
  const picked: Partial<PartnerLimits> = {};
  if (body.max_tokens_per_month !== undefined) picked.max_tokens_per_month = body.max_tokens_per_month;
  if (body.requests_per_minute !== undefined) picked.requests_per_minute = body.requests_per_minute;
  if (body.expires_at !== undefined) picked.expires_at = body.expires_at;
  return picked;
}

export function partnerWriteRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { store, clock } = deps;

  /** The live partner named by the path; IDs are exact and case-sensitive, deleted ones are gone. */
  async function target(request: IdRequest): Promise<PartnerRecord> {
    const { id } = request.params;
    const partner = isPartnerId(id) ? await store.partners.get(id) : null;
    if (!partner) throw notFound(NOT_FOUND);
    return partner;
  }

  function audit(request: IdRequest, partner: PartnerRecord, action: string, details: Record<string, unknown>): AuditRecord {
    return {
      id: newAuditId(),
      timestamp: clock().toISOString(),
      action,
      partnerId: partner.id,
      partnerName: partner.name,
      actor: actorOf(callerOf(request)),
      requestId: request.id,
      details,
    };
  }

  void app.register(async (scope) => {
    acceptEmptyJsonBodies(scope);

    scope.patch<{ Params: { id: string } }>('/v1/partners/:id', { config: { scope: 'admin:write' } }, async (request): Promise<Partner> => {
      rejectQuery(request);
      if (request.body === undefined) throw invalidRequest('body: expected a JSON object, got an empty body');
      requireJsonContentType(request);
      const body = parseWith(updatePartnerSchema(clock), request.body);
      const current = await target(request);
      await refuseEscalation(deps, request, callerOf(request), {
        target: current,
        ...(body.permissions ? { granting: body.permissions } : {}),
        limits: { ...limitsOf(current), ...pickLimits(body) },
      });

      const diff = diffPartner(current, body);
      if (Object.keys(diff.audit).length === 0) return partnerJson(current);
      const now = clock().toISOString();
      const entry = audit(request, { ...current, name: diff.changes.name ?? current.name }, 'partner.updated', { changes: diff.audit });
      const updated = await store.partners.update(current.id, diff.changes, now, entry);
      if (!updated) throw notFound(NOT_FOUND); // deleted meanwhile
      return partnerJson(updated);
    });

    scope.delete<{ Params: { id: string } }>('/v1/partners/:id', { config: { scope: 'admin:write' } }, async (request, reply) => {
      rejectQuery(request);
      if (request.body !== undefined) throw invalidRequest('body: DELETE takes no body');
      const current = await target(request);
      await refuseEscalation(deps, request, callerOf(request), { target: current });
      const deleted = await store.partners.softDelete(current.id, clock().toISOString(), audit(request, current, 'partner.deleted', {}));
      if (!deleted) throw notFound(NOT_FOUND);
      return reply.code(204).send();
    });

    scope.post<{ Params: { id: string } }>(
      '/v1/partners/:id/rotate',
      { config: { scope: 'admin:write' } },
      async (request): Promise<PartnerKey> => {
        rejectQuery(request);
        // No body at all (with or without a JSON content type) means the defaults.
        if (request.body !== undefined) requireJsonContentType(request);
        const body = parseWith(rotateKeySchema, request.body === undefined ? {} : request.body);
        const current = await target(request);
        await refuseEscalation(deps, request, callerOf(request), { target: current });

        const now = clock();
        const grace = body.grace_period_seconds ?? 0;
        const previousKeyExpiresAt = new Date(now.getTime() + grace * 1000).toISOString();
        const apiKey = newPartnerKey();
        const details = { grace_period_seconds: grace, previous_key_expires_at: previousKeyExpiresAt };
        const rotated = await store.partners.rotateKey(
          current.id,
          { keyHash: hashKey(apiKey), keyHint: keyHint(apiKey), createdAt: now.toISOString(), previousKeyExpiresAt },
          audit(request, current, 'partner.key_rotated', details),
        );
        if (!rotated) throw notFound(NOT_FOUND);
        return {
          type: 'partner_key',
          partner_id: rotated.id,
          api_key: apiKey,
          key_hint: rotated.keyHint,
          previous_key_expires_at: previousKeyExpiresAt,
        };
      },
    );
  });
}
