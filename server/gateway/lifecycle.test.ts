/** Disconnects, shutdown, restarts and crashes: usage is recorded whatever ends the answer. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USAGE, startFakeUpstream, type FakeUpstream } from '../../test/fakes/anthropic-upstream';
import { openSqliteStore } from '../store/sqlite';
import { createPartner, messageBody, usageOf } from '../test-support/gateway';
import { removeTempDirs, startHarness, tempDir, type Harness } from '../test-support/harness';

const OWNER_KEY = 'sk-ant-api03-owner-secret-key-for-tests-1111111111';
let fake: FakeUpstream;

beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
  removeTempDirs();
});

const upstream = () => ({ upstream: 'anthropic' as const, upstreamUrl: fake.url, upstreamApiKey: OWNER_KEY });

async function waitFor(check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function openStream(h: Harness, key: string, signal?: AbortSignal) {
  return fetch(`${h.server.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify(messageBody({ stream: true })),
    ...(signal ? { signal } : {}),
  });
}

describe('a client that disconnects mid-stream', () => {
  it('stops writing to it but reads the upstream to its end, recording the final usage (history status 499)', async () => {
    const h = await startHarness(upstream());
    try {
      const p = await createPartner(h);
      const aborted = fake.abortedStreams;
      fake.next({ delayMs: 150 });
      const controller = new AbortController();
      const res = await openStream(h, p.key, controller.signal);
      const reader = res.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: message_start');
      controller.abort();
      await waitFor(async () => ((await h.call('GET', '/v1/messages/history', { key: p.key })).body as { data: unknown[] }).data.length === 1);
      const history = (await h.call('GET', '/v1/messages/history', { key: p.key })).body as { data: Record<string, unknown>[] };
      // The tokens were generated whether or not anyone listened: the final counts are recorded,
      // not message_start's provisional output_tokens of 1.
      expect(history.data[0]).toMatchObject({ status: 499, stream: true, ...DEFAULT_USAGE });
      expect(await usageOf(h, p.id)).toMatchObject({ ...DEFAULT_USAGE, tokens_used: 144, requests: 1 });
      // The upstream stream was read to its end, not cut.
      expect(fake.abortedStreams).toBe(aborted);
    } finally {
      await h.stop();
    }
  });

  it('records the usage of a non-streamed answer whose client left while waiting', async () => {
    const h = await startHarness(upstream());
    try {
      const p = await createPartner(h);
      fake.next({ delayMs: 300 });
      const controller = new AbortController();
      const pending = fetch(`${h.server.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': p.key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
        body: JSON.stringify(messageBody()),
        signal: controller.signal,
      }).catch(() => null);
      await new Promise((r) => setTimeout(r, 100));
      controller.abort();
      await pending;
      await waitFor(async () => ((await h.call('GET', '/v1/messages/history', { key: p.key })).body as { data: unknown[] }).data.length === 1);
      const history = (await h.call('GET', '/v1/messages/history', { key: p.key })).body as { data: Record<string, unknown>[] };
      expect(history.data[0]).toMatchObject({ status: 499, stream: false, ...DEFAULT_USAGE });
    } finally {
      await h.stop();
    }
  });
});

describe('shutdown and restart', () => {
  it('close() lets an in-flight stream finish, records its usage, and a restart still has it', async () => {
    const dataDir = tempDir();
    const h = await startHarness({ ...upstream(), dataDir });
    const p = await createPartner(h);
    fake.next({ delayMs: 80 });
    const res = await openStream(h, p.key);
    const reader = res.body!.getReader();
    await reader.read();
    const closing = h.server.close();
    let text = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
    await closing;

    const again = await startHarness({ ...upstream(), dataDir, adminKey: h.adminKey });
    try {
      expect(await usageOf(again, p.id)).toMatchObject({ ...DEFAULT_USAGE, tokens_used: 144, requests: 1 });
    } finally {
      await again.stop();
    }
  });

  it('releases reservations a crash left behind', async () => {
    const dataDir = tempDir();
    const h = await startHarness({ ...upstream(), dataDir });
    const p = await createPartner(h, { max_tokens_per_month: 1000 });
    await h.stop();
    // A crashed process: admitted a 900-token worst case and never settled it.
    const store = openSqliteStore({ file: join(dataDir, 'partners.db') });
    const held = await store.gateway.admit({
      partnerId: p.id, requestId: 'req_crashed', period: '2026-06', worstCase: 900, tokenLimit: 1000, requestsPerWindow: 60, windowMs: 60_000, nowMs: Date.parse('2026-06-15T11:00:00Z'),
    });
    expect(held).toEqual({ admitted: true, tokensRemaining: 100 });
    await store.close();

    const again = await startHarness({ ...upstream(), dataDir, adminKey: h.adminKey });
    try {
      const a = await again.call('POST', '/v1/messages', { key: p.key, body: messageBody({ max_tokens: 500 }) });
      expect(a.status).toBe(200);
      expect(a.headers.get('x-partner-tokens-remaining')).toBe('496');
    } finally {
      await again.stop();
    }
  });
});

describe('governance: false (benchmark baseline)', () => {
  it('authenticates and forwards, but reserves, limits, meters and logs nothing', async () => {
    const h = await startHarness({ ...upstream(), governance: false });
    try {
      const p = await createPartner(h, { max_tokens_per_month: 10, requests_per_minute: 1 });
      for (let i = 0; i < 3; i++) {
        const a = await h.call('POST', '/v1/messages', { key: p.key, body: messageBody({ max_tokens: 500 }) });
        expect(a.status).toBe(200);
        expect(a.headers.get('x-partner-tokens-remaining')).toBeNull();
      }
      expect(await usageOf(h, p.id)).toMatchObject({ tokens_used: 0, requests: 0 });
      expect((await h.call('POST', '/v1/messages', { key: 'sk-ant-partner-unknown', body: messageBody() })).status).toBe(401);
    } finally {
      await h.stop();
    }
  });
});
