/**
 * The gateway against a fake Anthropic API over real HTTP: what it forwards, what it relays,
 * and that recorded usage equals exactly what the upstream reported.
 */
import { createServer } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USAGE, startFakeUpstream, type FakeUpstream } from '../../test/fakes/anthropic-upstream';
import { hashKey } from '../keys';
import { createPartner, messageBody, sdk, usageOf, type TestPartner } from '../test-support/gateway';
import { REQUEST_ID, expectError, removeTempDirs, startHarness, type Harness } from '../test-support/harness';

const OWNER_KEY = 'sk-ant-api03-owner-secret-key-for-tests-0000000000';
let fake: FakeUpstream;
let h: Harness;
let p: TestPartner;

beforeAll(async () => {
  fake = await startFakeUpstream();
  h = await startHarness({ upstream: 'anthropic', upstreamUrl: fake.url, upstreamApiKey: OWNER_KEY });
});
afterAll(async () => {
  await h.stop();
  await fake.close();
  removeTempDirs();
});
afterEach(() => {
  // Nothing that crossed the gateway may carry the partner's key or its hash, nor the owner's key outward.
  for (const line of h.logs) {
    for (const secret of [p?.key, p ? hashKey(p.key) : undefined, OWNER_KEY, h.adminKey]) {
      if (secret) expect(line).not.toContain(secret);
    }
  }
});

const partnerKeys: string[] = [];
const answerHeaders: string[] = [];

async function fresh(extra: Record<string, unknown> = {}): Promise<TestPartner> {
  p = await createPartner(h, extra);
  partnerKeys.push(p.key);
  fake.received.length = 0;
  return p;
}

async function post(body: unknown, headers: Record<string, string> = {}) {
  const a = await h.call('POST', '/v1/messages', { key: p.key, body, headers });
  answerHeaders.push(JSON.stringify([...a.headers]));
  return a;
}

describe('forwarding', () => {
  it('sends the owner key, the client anthropic-* headers and the exact raw body; never the partner key', async () => {
    await fresh();
    const raw = '{ "model": "claude-sonnet-4-5",  "max_tokens": 20, "messages": [{"role":"user","content":"hi"}] }';
    const a = await h.call('POST', '/v1/messages?beta=true', {
      key: p.key,
      raw,
      headers: { 'anthropic-beta': 'prompt-caching-2024-07-31', 'x-stainless-lang': 'js' },
    });
    expect(a.status).toBe(200);
    expect(fake.received).toHaveLength(1);
    const got = fake.received[0]!;
    expect(got.path).toBe('/v1/messages?beta=true');
    expect(got.body.toString()).toBe(raw);
    expect(got.headers['x-api-key']).toBe(OWNER_KEY);
    expect(got.headers['anthropic-version']).toBe('2023-06-01');
    expect(got.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
    expect(got.headers.authorization).toBeUndefined();
    expect(got.headers['x-stainless-lang']).toBeUndefined();
    expect(JSON.stringify(got.headers)).not.toContain(p.key);
  });

  it('relays status, content-type, rate-limit headers; request-id is ours and the upstream one moves aside', async () => {
    await fresh({ max_tokens_per_month: 10_000 });
    fake.next({ headers: { 'anthropic-ratelimit-requests-remaining': '49', 'anthropic-organization-id': 'org-secret' } });
    const a = await post(messageBody({ max_tokens: 100 }));
    expect(a.status).toBe(200);
    expect(a.headers.get('request-id')).toMatch(REQUEST_ID);
    expect(a.headers.get('upstream-request-id')).toBe('req_upstream_fake_01');
    expect(a.headers.get('anthropic-ratelimit-requests-remaining')).toBe('49');
    expect(a.headers.get('anthropic-organization-id')).toBeNull();
    expect(a.headers.get('content-type')).toBe('application/json');
    expect(a.headers.get('x-partnerdesk-upstream')).toBeNull();
    // 10,000 − (100 max_tokens + ceil(("user" + "Hello there") / 4) = 4) reserved at admission.
    expect(a.headers.get('x-partner-tokens-remaining')).toBe('9896');
  });
});

describe('metering with the official SDK', () => {
  it('messages.create: records the four counts of `usage` exactly', async () => {
    await fresh();
    fake.next({ usage: { input_tokens: 1234, output_tokens: 56, cache_creation_input_tokens: 78, cache_read_input_tokens: 9000 } });
    const m = await sdk(h, p.key).messages.create({ model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] });
    expect(m.content).toEqual([{ type: 'text', text: 'Hello from the fake' }]);
    expect(await usageOf(h, p.id)).toMatchObject({
      tokens_used: 1234 + 56 + 78 + 9000,
      input_tokens: 1234,
      output_tokens: 56,
      cache_creation_input_tokens: 78,
      cache_read_input_tokens: 9000,
      requests: 1,
    });
  });

  it('messages.stream: message_start plus cumulative message_delta usage, the last value of each field wins', async () => {
    await fresh();
    fake.next({
      startUsage: { input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 20, cache_read_input_tokens: 30 },
      deltaUsages: [{ output_tokens: 5 }, { output_tokens: 17, input_tokens: 11, cache_read_input_tokens: 31 }],
    });
    const final = await sdk(h, p.key).messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'Hello from the fake' }]);
    expect(final.usage).toMatchObject({ input_tokens: 11, output_tokens: 17, cache_creation_input_tokens: 20, cache_read_input_tokens: 31 });
    expect(await usageOf(h, p.id)).toMatchObject({
      tokens_used: 11 + 17 + 20 + 31,
      input_tokens: 11,
      output_tokens: 17,
      cache_creation_input_tokens: 20,
      cache_read_input_tokens: 31,
      requests: 1,
    });
  });

  it('streams event by event: the first event arrives while the upstream is still sending', async () => {
    await fresh();
    fake.next({ delayMs: 150 });
    const res = await fetch(`${h.server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': p.key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify(messageBody({ stream: true })),
    });
    const reader = res.body!.getReader();
    const started = Date.now();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first.startsWith('event: message_start\n')).toBe(true);
    // 9 events 150 ms apart: a buffering relay would need > 1 s for its first byte.
    expect(Date.now() - started).toBeLessThan(600);
    while (!(await reader.read()).done) {
      /* drain */
    }
    expect(await usageOf(h, p.id)).toMatchObject({ ...DEFAULT_USAGE, requests: 1 });
  });
});

describe('no buffering', () => {
  it('relays each event before the upstream sends the next: in lockstep, a relay holding even one event would stall', async () => {
    await fresh();
    let received = 0;
    const waiting: { count: number; resolve: () => void }[] = [];
    const stalls: number[] = [];
    const gate = (index: number) =>
      new Promise<void>((resolve, reject) => {
        if (received >= index) return resolve();
        const timer = setTimeout(() => {
          stalls.push(index);
          reject(new Error('stalled'));
        }, 2000);
        waiting.push({ count: index, resolve: () => (clearTimeout(timer), resolve()) });
      });
    fake.next({ gate });
    const res = await fetch(`${h.server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': p.key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify(messageBody({ stream: true })),
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      text += decoder.decode(r.value, { stream: true });
      // The upstream sends event n only once the client holds events 0 … n−1 whole.
      received = text.split('\n\n').length - 1;
      for (const w of waiting.splice(0)) {
        if (received >= w.count) w.resolve();
        else waiting.push(w);
      }
    }
    expect(stalls).toEqual([]);
    expect(text.match(/^event: \w+$/gm)).toEqual([
      'event: message_start', 'event: content_block_start', 'event: ping',
      'event: content_block_delta', 'event: content_block_delta', 'event: content_block_delta', 'event: content_block_delta',
      'event: content_block_stop', 'event: message_delta', 'event: message_stop',
    ]);
    expect(await usageOf(h, p.id)).toMatchObject({ ...DEFAULT_USAGE, requests: 1 });
  });
});

describe('upstream failures', () => {
  it.each([
    [429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', '17'],
    [529, 'overloaded_error', 'Overloaded', '3'],
    [500, 'api_error', 'Internal server error', undefined],
  ])('relays a %i intact with its retry-after, and releases the reservation', async (status, type, message, retryAfter) => {
    await fresh({ max_tokens_per_month: 1000 });
    fake.next({ status, error: { type, message }, headers: retryAfter ? { 'retry-after': retryAfter } : {} });
    const a = await post(messageBody({ max_tokens: 500 }));
    expect(a.status).toBe(status);
    expect(a.text).toBe(JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_upstream_fake_01' }));
    expect(a.headers.get('retry-after')).toBe(retryAfter ?? null);
    expect(a.headers.get('request-id')).toMatch(REQUEST_ID);
    expect(await usageOf(h, p.id)).toMatchObject({ tokens_used: 0, requests: 1 });
    // The 500-token reservation is gone: a second worst case of 504 fits the 1,000 limit again.
    expect((await post(messageBody({ max_tokens: 500 }))).status).toBe(200);
  });

  it('relays an error event mid-stream intact and keeps the tokens already reported', async () => {
    await fresh();
    const errorEvent = { type: 'overloaded_error', message: 'Overloaded' };
    fake.next({ errorEvent, startUsage: { input_tokens: 40, output_tokens: 1, cache_creation_input_tokens: 2, cache_read_input_tokens: 3 } });
    const a = await post(messageBody({ stream: true }));
    expect(a.status).toBe(200);
    expect(a.text.endsWith(`event: error\ndata: ${JSON.stringify({ type: 'error', error: errorEvent })}\n\n`)).toBe(true);
    expect(await usageOf(h, p.id)).toMatchObject({ input_tokens: 40, output_tokens: 1, cache_creation_input_tokens: 2, cache_read_input_tokens: 3, tokens_used: 46 });

    // The SDK sees the relayed event as the upstream's error.
    fake.next({ errorEvent });
    const stream = sdk(h, p.key).messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    await expect(stream.finalMessage()).rejects.toThrow(/Overloaded/);
  });

  it('redacts a key the upstream quotes in an error (a key pasted as the model name)', async () => {
    const q = await fresh();
    fake.next({ status: 404, error: { type: 'not_found_error', message: `model: ${q.key}` } });
    const a = await h.call('POST', '/v1/messages', { key: q.key, body: messageBody({ model: q.key }) });
    expect({ status: a.status, body: a.body }).toEqual({
      status: 404,
      body: { type: 'error', error: { type: 'not_found_error', message: 'model: sk-ant-[redacted]' }, request_id: 'req_upstream_fake_01' },
    });
  });

  it('answers 500 api_error when the upstream cannot be reached, counting no request', async () => {
    const closed = await startFakeUpstream();
    const deadUrl = closed.url;
    await closed.close();
    const dead = await startHarness({ upstream: 'anthropic', upstreamUrl: deadUrl, upstreamApiKey: OWNER_KEY });
    try {
      const partner = await createPartner(dead);
      const a = await dead.call('POST', '/v1/messages', { key: partner.key, body: messageBody() });
      expectError(a, 500, 'api_error', 'the upstream API could not be reached; please retry');
      expect(await usageOf(dead, partner.id)).toMatchObject({ tokens_used: 0, requests: 0 });
    } finally {
      await dead.stop();
    }
  });
});

describe('a JSON answer cut off mid-body', () => {
  it('answers 500 api_error, counts the billed request and no tokens, and keeps serving', async () => {
    // Status and headers arrive (the call was billed), then the connection drops mid-body.
    const cut = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"id":"msg_cut","type":"message","usage":{"input_tokens":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await new Promise<void>((resolve) => cut.listen(0, '127.0.0.1', resolve));
    const { port } = cut.address() as AddressInfo;
    const harness = await startHarness({ upstream: 'anthropic', upstreamUrl: `http://127.0.0.1:${port}`, upstreamApiKey: OWNER_KEY });
    try {
      const partner = await createPartner(harness);
      for (let i = 0; i < 2; i++) {
        const a = await harness.call('POST', '/v1/messages', { key: partner.key, body: messageBody() });
        expectError(a, 500, 'api_error', 'the connection to the upstream API failed before its answer was complete');
      }
      expect(await usageOf(harness, partner.id)).toMatchObject({ tokens_used: 0, requests: 2 });
    } finally {
      await harness.stop();
      cut.closeAllConnections();
      await new Promise((resolve) => cut.close(resolve));
    }
  });
});

describe('a stream cut off mid-event', () => {
  it('closes the half-sent event off as a ping, then appends an error event of its own, which the SDK reports; the tokens reported so far are counted', async () => {
    const start = `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { usage: { input_tokens: 9, output_tokens: 1 } } })}\n\n`;
    const half = 'event: content_block_delta\ndata: {"type":"content_bl';
    const cut = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(start + half);
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await new Promise<void>((resolve) => cut.listen(0, '127.0.0.1', resolve));
    const { port } = cut.address() as AddressInfo;
    const harness = await startHarness({ upstream: 'anthropic', upstreamUrl: `http://127.0.0.1:${port}`, upstreamApiKey: OWNER_KEY });
    try {
      const partner = await createPartner(harness);
      const a = await harness.call('POST', '/v1/messages', { key: partner.key, body: messageBody({ stream: true }) });
      expect(a.status).toBe(200);
      const failure = { type: 'error', error: { type: 'api_error', message: 'the connection to the upstream API failed mid-stream' } };
      expect(a.text).toBe(`${start}${half}\nevent: ping\n\nevent: error\ndata: ${JSON.stringify(failure)}\n\n`);
      expect(await usageOf(harness, partner.id)).toMatchObject({ input_tokens: 9, output_tokens: 1, requests: 1 });
      // Not a JSON syntax error from the torn event: the gateway's own error, as an APIError.
      const stream = sdk(harness, partner.key).messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
      const error = await stream.finalMessage().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect((error as InstanceType<typeof Anthropic.APIError>).error).toEqual(failure);
    } finally {
      await harness.stop();
      cut.closeAllConnections();
      await new Promise((resolve) => cut.close(resolve));
    }
  });
});

describe('secrets', () => {
  it('no partner key, key hash or owner key in any answer header or audit row', async () => {
    const audit = await h.call('GET', '/v1/audit-logs?limit=1000');
    expect(audit.status).toBe(200);
    expect(answerHeaders.length).toBeGreaterThan(5);
    const haystacks = [...answerHeaders, audit.text];
    for (const secret of [OWNER_KEY, ...partnerKeys, ...partnerKeys.map(hashKey)]) {
      for (const text of haystacks) expect(text).not.toContain(secret);
    }
  });
});
