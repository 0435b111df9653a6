/** Helpers for gateway tests: partners made through the real API, SDK clients, usage reads. */
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'vitest';
import type { Harness } from './harness';

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
