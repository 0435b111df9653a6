/**
 * The sandbox's deterministic answer to a Messages API request, in the API's exact JSON and SSE
 * shapes. Same request body → same bytes, every time:
 * - `id`: `msg_` + 24 base62 characters derived from SHA-256 of the request's raw bytes;
 * - `model`: the requested model + `-sandbox`, so nobody mistakes it for a real answer;
 * - text: a fixed sentence quoting up to 200 characters of the last user turn, cut into
 *   "tokens" (one per word, each carrying its leading whitespace); output_tokens = the tokens
 *   sent, at most `max_tokens` (stop_reason `max_tokens` when cut, else `end_turn`);
 * - input_tokens: the gateway's input estimate (see ../estimate.ts), at least 1; no cache tokens.
 */
import { createHash } from 'node:crypto';
import { BASE62 } from '../../../shared/api';
import { redactKeys } from '../../redact';
import { estimateInputTokens } from '../estimate';

export const SANDBOX_MODEL_SUFFIX = '-sandbox';
const QUOTE_MAX = 200;

export interface SandboxReply {
  id: string;
  model: string;
  pieces: string[];
  stopReason: 'end_turn' | 'max_tokens';
  inputTokens: number;
}

function idFrom(raw: Buffer): string {
  const digest = createHash('sha256').update(raw).digest();
  let id = 'msg_';
  for (let i = 0; i < 24; i++) id += BASE62[digest[i]! % 62];
  return id;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block) => (block && typeof block === 'object' && (block as { type?: unknown }).type === 'text' ? String((block as { text?: unknown }).text ?? '') : ''))
    .join(' ');
}

function lastUserText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown } | null;
    if (m && m.role === 'user') return [...textOf(m.content).replace(/\s+/g, ' ').trim()].slice(0, QUOTE_MAX).join('');
  }
  return '';
}

export function sandboxReply(body: Record<string, unknown>, raw: Buffer): SandboxReply {
  const quoted = lastUserText(body.messages as unknown[]);
  const sentence = quoted ? `This is the Partnerdesk sandbox: no model was called. You said: "${quoted}"` : 'This is the Partnerdesk sandbox: no model was called.';
  const all = sentence.match(/\s*\S+/g) ?? [];
  const maxTokens = body.max_tokens as number;
  return {
    id: idFrom(raw),
    // A key pasted as the model name is not said back.
    model: `${redactKeys(String(body.model))}${SANDBOX_MODEL_SUFFIX}`,
    pieces: all.slice(0, maxTokens),
    stopReason: all.length > maxTokens ? 'max_tokens' : 'end_turn',
    inputTokens: Math.max(1, estimateInputTokens(body)),
  };
}

function usage(reply: SandboxReply, outputTokens: number) {
  return {
    input_tokens: reply.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
  };
}

export function messageJson(reply: SandboxReply): Buffer {
  return Buffer.from(
    JSON.stringify({
      id: reply.id,
      type: 'message',
      role: 'assistant',
      model: reply.model,
      content: [{ type: 'text', text: reply.pieces.join('') }],
      stop_reason: reply.stopReason,
      stop_sequence: null,
      usage: usage(reply, reply.pieces.length),
    }),
  );
}

const event = (name: string, data: unknown) => Buffer.from(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

/** The SSE events of a streamed answer, one buffer per event, in the API's order. */
export function messageEvents(reply: SandboxReply): Buffer[] {
  const events = [
    event('message_start', {
      type: 'message_start',
      message: {
        id: reply.id,
        type: 'message',
        role: 'assistant',
        model: reply.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: usage(reply, 1),
      },
    }),
    event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    event('ping', { type: 'ping' }),
  ];
  for (const piece of reply.pieces) {
    events.push(event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } }));
  }
  events.push(
    event('content_block_stop', { type: 'content_block_stop', index: 0 }),
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: reply.stopReason, stop_sequence: null },
      usage: usage(reply, reply.pieces.length),
    }),
    event('message_stop', { type: 'message_stop' }),
  );
  return events;
}
