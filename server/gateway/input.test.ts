/** What admission validates (just enough to reserve), in order, and the 32 MB body limit. Nothing bad is forwarded. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../test/fakes/anthropic-upstream';
import { createPartner, type TestPartner } from '../test-support/gateway';
import { expectError, removeTempDirs, startHarness, type Harness } from '../test-support/harness';

let h: Harness;
let fake: FakeUpstream;
let p: TestPartner;
beforeAll(async () => {
  fake = await startFakeUpstream();
  h = await startHarness({ upstream: 'anthropic', upstreamUrl: fake.url, upstreamApiKey: 'sk-ant-api03-owner-test-key' });
  p = await createPartner(h);
});
afterAll(async () => {
  await h.stop();
  await fake.close();
  removeTempDirs();
});

describe('POST /v1/messages bad input', () => {
  it.each([
    ['[1,2]', 'body: expected a JSON object'],
    ['null', 'body: expected a JSON object'],
    ['{"messages": []', 'body: not valid JSON'],
    ['{"messages": []}', 'max_tokens: expected an integer of at least 1'],
    ['{"max_tokens": 0, "messages": []}', 'max_tokens: expected an integer of at least 1'],
    ['{"max_tokens": 1.5, "messages": []}', 'max_tokens: expected an integer of at least 1'],
    ['{"max_tokens": "10", "messages": []}', 'max_tokens: expected an integer of at least 1'],
    ['{"max_tokens": 1e300, "messages": []}', 'max_tokens: expected an integer of at least 1'],
    ['{"max_tokens": 10}', 'messages: expected an array of messages'],
    ['{"max_tokens": 10, "messages": "hi"}', 'messages: expected an array of messages'],
  ])('%s → 400 naming the field', async (raw, message) => {
    expectError(await h.call('POST', '/v1/messages', { key: p.key, raw }), 400, 'invalid_request_error', message);
  });

  it('refuses an empty body and a non-JSON content type', async () => {
    expectError(await h.call('POST', '/v1/messages', { key: p.key, raw: '' }), 400, 'invalid_request_error', 'body: expected a JSON object');
    expectError(
      await h.call('POST', '/v1/messages', { key: p.key, raw: 'x', headers: { 'content-type': 'text/plain' } }),
      400,
      'invalid_request_error',
      'content-type: expected application/json',
    );
  });

  it('accepts up to 32 MB and answers 413 beyond it', async () => {
    const text = 'a'.repeat(32 * 1024 * 1024 - 200);
    const ok = await h.call('POST', '/v1/messages', { key: p.key, body: { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: text }] } });
    expect(ok.status).toBe(200);
    const big = await h.call('POST', '/v1/messages', { key: p.key, body: { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: `${text}${'b'.repeat(300)}` }] } });
    expectError(big, 413, 'request_too_large', 'request body exceeds 33554432 bytes (32 MB)');
  });

  it('forwarded only the one valid request', () => {
    expect(fake.received.filter((r) => r.path === '/v1/messages')).toHaveLength(1);
  });

  it('checks the key before the body: no key, bad body → 401', async () => {
    expectError(await h.call('POST', '/v1/messages', { key: null, raw: '[' }), 401, 'authentication_error', 'x-api-key header is required');
  });
});
