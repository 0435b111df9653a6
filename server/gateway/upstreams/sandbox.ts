/**
 * The offline sandbox upstream: the desktop app's embedded default, demos and dry runs.
 * Deterministic and network-free; speaks the Messages API's wire formats (see sandbox-reply.ts),
 * plus count_tokens and a one-model catalogue. Files are not stored: those calls get a 400.
 */
import { Readable } from 'node:stream';
import { newRequestId } from '../../keys';
import { redactKeys } from '../../redact';
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

/** An error as Anthropic writes it: its own request id in the body and the `request-id` header. */
function error(status: number, type: string, message: string): UpstreamAnswer {
  const requestId = newRequestId();
  const answer = json(status, { type: 'error', error: { type, message }, request_id: requestId });
  answer.headers['request-id'] = requestId;
  return answer;
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

const ROLES = ['user', 'assistant'];

function invalidMessage(message: unknown, i: number): string | null {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return `messages.${i}: Input should be an object`;
  const { role, content } = message as Record<string, unknown>;
  if (typeof role !== 'string' || !ROLES.includes(role)) return `messages.${i}.role: Input should be 'user' or 'assistant'`;
  const blocksOk = Array.isArray(content) && content.every((b) => b !== null && typeof b === 'object' && typeof (b as { type?: unknown }).type === 'string');
  if (typeof content !== 'string' && !blocksOk) return `messages.${i}.content: Input should be a string or a list of content blocks`;
  return null;
}

/** The checks a real upstream would make that the gateway leaves to it (in the API's words). */
function invalid(body: Record<string, unknown>): string | null {
  if (body.model === undefined) return 'model: Field required';
  if (typeof body.model !== 'string' || body.model.trim() === '') return 'model: Input should be a valid string';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  for (const [i, message] of body.messages.entries()) {
    const problem = invalidMessage(message, i);
    if (problem) return problem;
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return 'stream: Input should be a valid boolean';
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
    return id === SANDBOX_MODEL.id ? json(200, SANDBOX_MODEL) : error(404, 'not_found_error', `model: ${redactKeys(id)}`);
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
