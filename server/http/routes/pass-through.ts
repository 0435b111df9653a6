/**
 * Pass-throughs so SDK clients work unchanged: POST /v1/messages/count_tokens and the models
 * catalogue (messages:write), and /v1/files… (GET: files:read; POST, DELETE: files:write).
 * Not metered. Bodies are forwarded as received: JSON as raw bytes, uploads as the raw stream.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../../gateway/config';
import { clientResponseHeaders, upstreamRequestHeaders } from '../../gateway/headers';
import { AnswerTooLarge, readWhole, UPSTREAM_BROKE_MESSAGE } from '../../gateway/relay';
import { UpstreamUnreachable, type UpstreamAnswer } from '../../gateway/upstreams/types';
import { redactBody } from '../../redact';
import { ClientGone } from '../client-gone';
import { ApiError } from '../errors';
import { keepRawStream } from '../raw-body';
import { UPSTREAM_UNREACHABLE_MESSAGE } from './messages';

type Method = 'GET' | 'POST' | 'DELETE';

/** An upstream error answer is a small JSON document; one far larger is not relayed whole. */
export const ERROR_BODY_LIMIT = 1024 * 1024;

/**
 * An error answer read whole, so that a key it quotes can be redacted (the upstream says back
 * what it was sent: a key pasted as a model or file ID). Successes stream through untouched.
 */
async function errorBody(body: UpstreamAnswer['body']): Promise<Buffer> {
  try {
    return redactBody(await readWhole(body, ERROR_BODY_LIMIT));
  } catch (error) {
    if (error instanceof AnswerTooLarge) {
      throw new ApiError('api_error', `the upstream API answered an error of more than ${ERROR_BODY_LIMIT} bytes; it was not relayed`);
    }
    throw new ApiError('api_error', UPSTREAM_BROKE_MESSAGE);
  }
}

function forwarder(gateway: GatewayConfig) {
  return async function forward(request: FastifyRequest, reply: FastifyReply, body?: Buffer | Readable): Promise<FastifyReply> {
    // Kept until the answer is written (a streamed success outlives this function): a client
    // that leaves mid-answer, or before its pipelined turn, stops the upstream transfer.
    const gone = new ClientGone(reply);
    reply.raw.once('finish', () => gone.release());
    let answer: UpstreamAnswer;
    try {
      answer = await gateway.upstream.send({
        method: request.method as Method,
        path: request.url,
        // A streamed upload keeps the client's content-length: the upstream needs it to read the body.
        headers: upstreamRequestHeaders(request.headers, body !== undefined && !Buffer.isBuffer(body)),
        ...(body !== undefined ? { body } : {}),
        signal: gone,
      });
    } catch (error) {
      if (error instanceof UpstreamUnreachable) throw new ApiError('api_error', UPSTREAM_UNREACHABLE_MESSAGE);
      throw error;
    }
    if (gateway.upstream.kind === 'sandbox') reply.header('x-partnerdesk-upstream', 'sandbox');
    if (answer.status < 400) return reply.code(answer.status).headers(clientResponseHeaders(answer.headers, true)).send(answer.body);
    // Its length may change with the redaction: Fastify sets the new one.
    return reply.code(answer.status).headers(clientResponseHeaders(answer.headers, false)).send(await errorBody(answer.body));
  };
}

/** Registered inside the JSON-as-raw-bytes plugin of the gateway. */
export function jsonPassThroughRoutes(app: FastifyInstance, gateway: GatewayConfig): void {
  const forward = forwarder(gateway);
  const messages = { config: { scope: 'messages:write', partnerOnly: true } } as const;
  app.post('/v1/messages/count_tokens', messages, async (request, reply) =>
    forward(request, reply, Buffer.isBuffer(request.body) ? request.body : undefined),
  );
  app.get('/v1/models', messages, async (request, reply) => forward(request, reply));
  app.get('/v1/models/*', messages, async (request, reply) => forward(request, reply));
}

/** Registers the files routes in their own plugin, whose only body parser keeps the raw stream. */
export function filesPassThroughRoutes(app: FastifyInstance, gateway: GatewayConfig): void {
  void app.register(async (files) => {
    keepRawStream(files);
    const forward = forwarder(gateway);
    const read = { config: { scope: 'files:read', partnerOnly: true } } as const;
    const write = { config: { scope: 'files:write', partnerOnly: true } } as const;
    for (const path of ['/v1/files', '/v1/files/*']) {
      files.get(path, read, async (request, reply) => forward(request, reply));
      files.delete(path, write, async (request, reply) => forward(request, reply));
      files.post(path, write, async (request, reply) => forward(request, reply, request.body as Readable | undefined));
    }
  });
}
