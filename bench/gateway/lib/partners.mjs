/**
 * Sets the gateway up the way an owner would: partners created through the admin API, with
 * limits so high they never trigger but are still checked on every request.
 */
import { randomBytes } from 'node:crypto';

export const ANTHROPIC_VERSION = '2023-06-01';

/** A fresh admin key for a bench server; handed to the child by env, never printed. */
export const newAdminKey = () => `sk-ant-admin-${randomBytes(32).toString('base64url')}`;

/** Creates `count` partners with messages:write; returns their API keys. */
export async function createPartners(baseUrl, adminKey, count) {
  const keys = [];
  for (let i = 0; i < count; i += 1) {
    const res = await fetch(`${baseUrl}/v1/partners`, {
      method: 'POST',
      headers: { 'x-api-key': adminKey, 'anthropic-version': ANTHROPIC_VERSION, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `bench partner ${i + 1}`,
        permissions: ['messages:write'],
        max_tokens_per_month: 1_000_000_000_000,
        requests_per_minute: 100_000,
      }),
    });
    const body = await res.json();
    if (res.status !== 201) throw new Error(`creating a partner failed: ${res.status} ${JSON.stringify(body.error ?? body)}`);
    keys.push(body.api_key);
  }
  return keys;
}

/** The request every benchmark sends: small, like a real chat turn. */
export function messagesBody(stream) {
  return JSON.stringify({
    model: 'claude-sonnet-4-5',
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Say hello to the benchmark.' }],
    ...(stream ? { stream: true } : {}),
  });
}

export const messagesHeaders = (apiKey) => ({
  'content-type': 'application/json',
  'anthropic-version': ANTHROPIC_VERSION,
  ...(apiKey ? { 'x-api-key': apiKey } : {}),
});
