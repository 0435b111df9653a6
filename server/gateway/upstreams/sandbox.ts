/**
 * The offline sandbox upstream: the desktop app's embedded default, demos and dry runs.
 * Deterministic and network-free; speaks the Messages API's wire formats (see sandbox-reply.ts),
 * plus count_tokens and a one-model catalogue. Files are not stored: those calls get a 400.
 */
import { Readable } from 'node:stream';
import { estimateInputTokens } from '../estimate';
import { messageEvents, messageJson, sandboxReply } from './sandbox-reply';
import type { Upstream, UpstreamAnswer, UpstreamCall } from './types';

export const SANDBOX_MODEL = {
  type: 'model',
  id: 'claude-sandbox',
  display_name: 'Partnerdesk sandbox (offline, no model is called)',
  created_at: '2026-01-01T00:00:00Z',
} as const;

const JSON_TYPE = 'application/json';

function json(status: number, value: unknown): UpstreamAnswer {
  return { status, headers: { 'content-type': JSON_TYPE }, body: Buffer.from(JSON.stringify(value)) };
}

function error(status: number, type: string, message: string): UpstreamAnswer {
  return json(status, { type: 'error', error: { type, message } });
}

function parsedBody(call: UpstreamCall): Record<string, unknown> | null {
  if (call.json) return call.json;
  if (!Buffer.isBuffer(call.body)) return null;
  try {
    const value: unknown = JSON.parse(call.body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The checks a real upstream would make that the gateway leaves to it. */
function invalid(body: Record<string, unknown>): string | null {
  if (typeof body.model !== 'string' || body.model.trim() === '') return 'model: Field required';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  return null;
}

function messages(call: UpstreamCall): UpstreamAnswer {
  const body = parsedBody(call);
  if (!body) return error(400, 'invalid_request_error', 'body: expected a JSON object');
  const problem = invalid(body);
  if (problem) return error(400, 'invalid_request_error', problem);
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
    return error(400, 'invalid_request_error', 'max_tokens: expected an integer of at least 1');
  }
  const reply = sandboxReply(body, Buffer.isBuffer(call.body) ? call.body : Buffer.from(JSON.stringify(body)));
  if (body.stream === true) {
    return {
      status: 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
      body: Readable.from(messageEvents(reply)),
    };
  }
  return { status: 200, headers: { 'content-type': JSON_TYPE }, body: messageJson(reply) };
}

function route(call: UpstreamCall): UpstreamAnswer {
  const path = call.path.split('?')[0] ?? '';
  if (call.method === 'POST' && path === '/v1/messages') return messages(call);
  if (call.method === 'POST' && path === '/v1/messages/count_tokens') {
    const body = parsedBody(call);
    if (!body) return error(400, 'invalid_request_error', 'body: expected a JSON object');
    const problem = invalid(body);
    if (problem) return error(400, 'invalid_request_error', problem);
    return json(200, { input_tokens: Math.max(1, estimateInputTokens(body)) });
  }
  if (call.method === 'GET' && path === '/v1/models') {
    return json(200, { data: [SANDBOX_MODEL], has_more: false, first_id: SANDBOX_MODEL.id, last_id: SANDBOX_MODEL.id });
  }
  if (call.method === 'GET' && path.startsWith('/v1/models/')) {
    const id = decodeURIComponent(path.slice('/v1/models/'.length));
    return id === SANDBOX_MODEL.id ? json(200, SANDBOX_MODEL) : error(404, 'not_found_error', `model: ${id}`);
  }
  if (path === '/v1/files' || path.startsWith('/v1/files/')) {
    return error(400, 'invalid_request_error', 'the sandbox upstream does not store files; start the server with --upstream anthropic');
  }
  return error(404, 'not_found_error', `no route for ${call.method} ${path}`);
}

export function sandboxUpstream(): Upstream {
  return {
    kind: 'sandbox',
    async send(call) {
      return route(call);
    },
    async close() {},
  };
}
