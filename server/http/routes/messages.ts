/**
 * POST /v1/messages: the gateway. Checks 1–2 (key, partner, scope) ran in the auth hook;
 * here: the body's admission fields, checks 3–4 with their reservation, the forward with the
 * owner's key, the relay, and the settlement of the reservation to the reported usage.
 */
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { admit } from '../../gateway/admission';
import { MESSAGES_BODY_LIMIT, type GatewayConfig } from '../../gateway/config';
import { upstreamRequestHeaders } from '../../gateway/headers';
import { readMessagesBody, type MessagesBody } from '../../gateway/messages-body';
import { zeroCounts } from '../../gateway/metering';
import { CLIENT_CLOSED, relay } from '../../gateway/relay';
import { UpstreamUnreachable, type CancelSignal, type UpstreamAnswer } from '../../gateway/upstreams/types';
import type { TokenCounts } from '../../store/gateway-types';
import type { PartnerRecord } from '../../store/types';
import { callerOf } from '../caller';
import type { AppDeps } from '../context';
import { ClientGone } from '../client-gone';
import { ApiError } from '../errors';

export const UPSTREAM_UNREACHABLE_MESSAGE = 'the upstream API could not be reached; please retry';

function partnerOf(request: FastifyRequest): PartnerRecord {
  const caller = callerOf(request);
  // partnerOnly routes never see an admin key; anything else is a wiring bug.
  if (caller.kind !== 'partner') throw new ApiError('api_error', 'internal server error');
  return caller.partner;
}

/**
 * A governed request's settlement, made exactly once whatever happens: its reservation is
 * released and the usage the upstream reported (zero if it reported none) is recorded.
 * A class rather than a closure per request: see ClientGone's constructor (client-gone.ts).
 */
class Settlement {
  settled = false;
  /** false: no status came back, so nothing can have been billed (no request, no tokens). */
  forwarded = true;
  private readonly startedAt: string;
  private readonly t0 = performance.now();

  constructor(
    private readonly deps: Pick<AppDeps, 'store' | 'clock'>,
    private readonly request: FastifyRequest,
    private readonly partner: PartnerRecord,
    private readonly body: MessagesBody,
    private readonly period: string,
  ) {
    this.startedAt = deps.clock().toISOString();
  }

  async settle(counts: TokenCounts, status: number): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    const { request, body } = this;
    await this.deps.store.gateway.settle({
      period: this.period,
      forwarded: this.forwarded,
      reserved: body.worstCase,
      log: {
        requestId: request.id,
        partnerId: this.partner.id,
        model: body.model,
        stream: body.stream,
        status,
        ...counts,
        startedAt: this.startedAt,
        finishedAt: this.deps.clock().toISOString(),
        durationMs: Math.round((performance.now() - this.t0) * 10) / 10,
      },
    });
  }
}

export function messagesRoute(app: FastifyInstance, deps: AppDeps, gateway: GatewayConfig): void {
  const { store, clock } = deps;
  const { upstream } = gateway;

  async function send(request: FastifyRequest, body: MessagesBody, signal: CancelSignal): Promise<UpstreamAnswer> {
    return upstream.send({
      method: 'POST',
      path: request.url,
      headers: upstreamRequestHeaders(request.headers),
      body: body.raw,
      json: body.json,
      signal,
    });
  }

  /** The benchmark baseline: authenticated (by the hook) and forwarded, nothing governed. */
  async function ungoverned(request: FastifyRequest, reply: FastifyReply, body: MessagesBody): Promise<void> {
    const gone = new ClientGone(reply);
    try {
      let answer: UpstreamAnswer;
      try {
        answer = await send(request, body, gone);
      } catch (error) {
        if (error instanceof UpstreamUnreachable) throw new ApiError('api_error', UPSTREAM_UNREACHABLE_MESSAGE);
        throw error;
      }
      await relay(reply, answer, gone, async () => {});
    } finally {
      gone.release();
    }
  }

  async function governed(request: FastifyRequest, reply: FastifyReply, partner: PartnerRecord, body: MessagesBody, period: string) {
    const settlement = new Settlement(deps, request, partner, body, period);
    const gone = new ClientGone(reply);
    try {
      let answer: UpstreamAnswer;
      try {
        answer = await send(request, body, gone);
      } catch (error) {
        if (gone.aborted) {
          await settlement.settle(zeroCounts(), CLIENT_CLOSED);
          reply.hijack();
          return;
        }
        settlement.forwarded = false;
        await settlement.settle(zeroCounts(), 500);
        if (error instanceof UpstreamUnreachable) throw new ApiError('api_error', UPSTREAM_UNREACHABLE_MESSAGE);
        throw error;
      }
      await relay(reply, answer, gone, (counts, status) => settlement.settle(counts, status));
    } finally {
      gone.release();
      // Whatever went wrong, the reservation must not outlive the request.
      if (!settlement.settled) await settlement.settle(zeroCounts(), 500);
    }
  }

  app.post(
    '/v1/messages',
    { bodyLimit: MESSAGES_BODY_LIMIT, config: { scope: 'messages:write', partnerOnly: true } },
    async (request, reply) => {
      const partner = partnerOf(request);
      const body = readMessagesBody(request.body);
      if (upstream.kind === 'sandbox') reply.header('x-partnerdesk-upstream', 'sandbox');
      if (!gateway.governance) {
        await ungoverned(request, reply, body);
        return reply;
      }
      const { period } = await admit({ store, clock, gateway }, request, reply, partner, body.worstCase);
      await gateway.inflight.track(governed(request, reply, partner, body, period));
      return reply;
    },
  );
}
