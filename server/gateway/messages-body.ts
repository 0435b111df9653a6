/**
 * What admission needs from a Messages API body, and nothing more: the upstream judges the
 * rest (model names, content blocks, tools…), so a new API feature never needs a gateway change.
 */
import { redactKeys } from '../redact';
import { invalidRequest } from '../http/errors';
import { estimateInputTokens } from './estimate';

export interface MessagesBody {
  raw: Buffer;
  json: Record<string, unknown>;
  maxTokens: number;
  stream: boolean;
  /** As requested, for the request log; null when absent or not a string. */
  model: string | null;
  /** max_tokens plus the input estimate: the most this request may cost. */
  worstCase: number;
}

const MODEL_LOG_MAX = 200;

/** At most MODEL_LOG_MAX code points; a string of that many UTF-16 units or fewer is already short enough. */
// Shown back by the history endpoint: a key pasted as the model name is not kept.
const logModel = (model: string): string => redactKeys(model.length <= MODEL_LOG_MAX ? model : [...model].slice(0, MODEL_LOG_MAX).join(''));

export function readMessagesBody(raw: unknown): MessagesBody {
  if (!Buffer.isBuffer(raw) || raw.length === 0) throw invalidRequest('body: expected a JSON object');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalidRequest('body: not valid JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw invalidRequest('body: expected a JSON object');
  const body = json as Record<string, unknown>;
  const maxTokens = body.max_tokens;
  if (typeof maxTokens !== 'number' || !Number.isSafeInteger(maxTokens) || maxTokens < 1) {
    throw invalidRequest('max_tokens: expected an integer of at least 1');
  }
  if (!Array.isArray(body.messages)) throw invalidRequest('messages: expected an array of messages');
  return {
    raw,
    json: body,
    maxTokens,
    stream: body.stream === true,
    model: typeof body.model === 'string' ? logModel(body.model) : null,
    worstCase: maxTokens + estimateInputTokens(body),
  };
}
