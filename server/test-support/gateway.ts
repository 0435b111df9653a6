/** Helpers for gateway tests: partners made through the real API, SDK clients, usage reads. */
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'vitest';
import type { Script } from '../../test/fakes/anthropic-upstream';
import type { Harness } from './harness';
import type { RawResponse } from './raw-http';

export interface TestPartner {
  id: string;
  key: string;
}

export async function createPartner(h: Harness, body: Record<string, unknown> = {}): Promise<TestPartner> {
  const a = await h.call('POST', '/v1/partners', { body: { name: 'Gateway test', permissions: ['messages:write', 'messages:read'], ...body } });
  expect(a.status).toBe(201);
  const created = a.body as { id: string; api_key: string };
  return { id: created.id, key: created.api_key };
}

/** The official SDK pointed at our server with the partner's key; no retries unless asked, so tests see each answer. */
export function sdk(h: Harness, key: string, maxRetries = 0): Anthropic {
  return new Anthropic({ apiKey: key, baseURL: h.server.url, maxRetries });
}

export async function usageOf(h: Harness, partnerId: string, period?: string): Promise<Record<string, unknown>> {
  const a = await h.call('GET', `/v1/partners/${partnerId}/usage${period ? `?period=${period}` : ''}`);
  expect(a.status).toBe(200);
  return a.body as Record<string, unknown>;
}

export const userTurn = (text: string) => [{ role: 'user' as const, content: text }];

/** A minimal valid Messages API body. */
export function messageBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'claude-sonnet-4-5', max_tokens: 64, messages: userTurn('Hello there'), ...extra };
}

/** A streamed answer of `pieces` text deltas whose final usage is `input` in and `output` out. */
export function streamScript(pieces: number, pieceSize: number, input: number, output: number, delayMs = 0): Script {
  const usage = { input_tokens: input, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  return {
    pieces: Array.from({ length: pieces }, (_, i) => String(i % 10).repeat(pieceSize)),
    startUsage: { ...usage, output_tokens: 1 },
    deltaUsages: [usage],
    delayMs,
  };
}

export const streamed = (model: string) => ({ model, max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] });

/** The answer is the whole stream the fake sent: every delta, then message_stop, no error event. */
export function expectWholeStream(response: RawResponse | undefined, pieces: number): void {
  expect(response?.status).toBe(200);
  const text = response!.body.toString();
  expect(text.split('event: content_block_delta\n').length - 1).toBe(pieces);
  expect(text).not.toContain('event: error');
  expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
}
