/** The sandbox upstream (the desktop app's default): exact wire formats, determinism, SDK round trips. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPartner, messageBody, sdk, usageOf, type TestPartner } from '../test-support/gateway';
import { removeTempDirs, startHarness, type Harness } from '../test-support/harness';
import { estimateInputTokens } from './estimate';

let h: Harness;
let p: TestPartner;
beforeAll(async () => {
  h = await startHarness();
  p = await createPartner(h);
});
afterAll(async () => {
  await h.stop();
  removeTempDirs();
});

const SENTENCE = 'This is the Partnerdesk sandbox: no model was called. You said: "Hello there"';
const USAGE = { input_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 13 };

describe('non-streaming', () => {
  it('answers in the Messages API shape, deterministically, marked as the sandbox', async () => {
    const a = await h.call('POST', '/v1/messages', { key: p.key, body: messageBody() });
    const b = await h.call('POST', '/v1/messages', { key: p.key, body: messageBody() });
    expect(a.status).toBe(200);
    expect(a.headers.get('x-partnerdesk-upstream')).toBe('sandbox');
    expect(a.text).toBe(b.text);
    const body = a.body as Record<string, unknown>;
    expect(body.id).toMatch(/^msg_[0-9A-Za-z]{24}$/);
    expect(body).toEqual({
      id: body.id,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-sandbox',
      content: [{ type: 'text', text: SENTENCE }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: USAGE,
    });
  });

  it('respects max_tokens: cut text, stop_reason max_tokens, output_tokens = max_tokens', async () => {
    const m = await sdk(h, p.key).messages.create({ model: 'claude-x', max_tokens: 3, messages: [{ role: 'user', content: 'Hello there' }] });
    expect(m.content).toEqual([{ type: 'text', text: 'This is the' }]);
    expect(m.stop_reason).toBe('max_tokens');
    expect(m.usage.output_tokens).toBe(3);
  });

  it('leaves the rest to the upstream: a missing model is the sandbox\'s 400', async () => {
    const a = await h.call('POST', '/v1/messages', { key: p.key, body: { max_tokens: 5, messages: [] } });
    expect(a.status).toBe(400);
    const upstreamId = a.headers.get('upstream-request-id');
    expect(upstreamId).toMatch(/^req_[0-9A-Za-z]{24}$/);
    expect(a.body).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'model: Field required' }, request_id: upstreamId });
  });

  it.each([
    [{ model: 5 }, 'model: Input should be a valid string'],
    [{ messages: [null] }, 'messages.0: Input should be an object'],
    [{ messages: [{ role: 'system', content: 'x' }] }, "messages.0.role: Input should be 'user' or 'assistant'"],
    [{ messages: [{ role: 'user', content: 5 }] }, 'messages.0.content: Input should be a string or a list of content blocks'],
    [{ messages: [{ role: 'user', content: [{ text: 'no type' }] }] }, 'messages.0.content: Input should be a string or a list of content blocks'],
    [{ stream: 'yes' }, 'stream: Input should be a valid boolean'],
  ])('refuses what the real API refuses: %j', async (override, message) => {
    const a = await h.call('POST', '/v1/messages', { key: p.key, body: messageBody(override) });
    expect(a.status).toBe(400);
    expect((a.body as { error: unknown }).error).toEqual({ type: 'invalid_request_error', message });
  });
});

describe('streaming', () => {
  it('sends the exact SSE sequence with cumulative usage', async () => {
    const a = await h.call('POST', '/v1/messages', { key: p.key, body: messageBody({ max_tokens: 2, stream: true }) });
    expect(a.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const start = { id: expect.stringMatching(/^msg_/), type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-sandbox', content: [], stop_reason: null, stop_sequence: null, usage: { ...USAGE, output_tokens: 1 } };
    const events = a.text.trimEnd().split('\n\n').map((block) => {
      const [event, data] = block.split('\n');
      return { event: event!.replace('event: ', ''), data: JSON.parse(data!.replace('data: ', '')) as unknown };
    });
    expect(events).toEqual([
      { event: 'message_start', data: { type: 'message_start', message: start } },
      { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
      { event: 'ping', data: { type: 'ping' } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'This' } } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' is' } } },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'max_tokens', stop_sequence: null }, usage: { ...USAGE, output_tokens: 2 } } },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ]);
  });

  it('round-trips through the SDK (create and stream) and records exactly the usage it reported', async () => {
    const q = await createPartner(h);
    const client = sdk(h, q.key);
    const params = { model: 'claude-x', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user' as const, content: 'What is 2+2?' }] };
    const created = await client.messages.create(params);
    const streamed = await client.messages.stream(params).finalMessage();
    expect(streamed.content).toEqual(created.content);
    expect(streamed.usage).toEqual(created.usage);
    const u = created.usage;
    expect(await usageOf(h, q.id)).toMatchObject({
      input_tokens: 2 * u.input_tokens,
      output_tokens: 2 * u.output_tokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      tokens_used: 2 * (u.input_tokens + u.output_tokens),
      requests: 2,
    });
  });
});

describe('pass-throughs on the sandbox', () => {
  it('counts tokens with the same estimate and lists its one model', async () => {
    const client = sdk(h, p.key);
    expect(await client.messages.countTokens({ model: 'claude-x', messages: [{ role: 'user', content: 'Hello there' }] })).toEqual({ input_tokens: 4 });
    const models = await h.call('GET', '/v1/models', { key: p.key });
    expect(models.body).toMatchObject({ data: [{ type: 'model', id: 'claude-sandbox' }], has_more: false });
    expect((await h.call('GET', '/v1/models/claude-sandbox', { key: p.key })).status).toBe(200);
    expect((await h.call('GET', '/v1/models/claude-other', { key: p.key })).status).toBe(404);
  });
});

describe('the input estimate', () => {
  it('is ceil(characters of every string in system, messages and tools / 4), images counted as 1,600 tokens', () => {
    expect(estimateInputTokens({ messages: [{ role: 'user', content: 'Hello there' }] })).toBe(4);
    expect(estimateInputTokens({ system: 'abcd', messages: [], tools: [{ name: 'abcd', input_schema: { type: 'object' } }] })).toBe(4);
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(1_000_000) } };
    expect(estimateInputTokens({ messages: [{ role: 'user', content: [image] }] })).toBe(Math.ceil((4 + 5 + 6 + 9 + 6400) / 4));
    let deep: unknown = 'abcd';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(estimateInputTokens({ messages: deep })).toBe(1);
  });
});
