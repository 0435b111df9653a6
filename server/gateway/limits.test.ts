/** Admission: checks 2–4 of the gateway, reservations under concurrency, the clock and month turns. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../test/fakes/anthropic-upstream';
import { ADMIN_CANNOT_SEND } from '../http/auth';
import { RATE_LIMIT_MESSAGE, TOKEN_LIMIT_MESSAGE, tooLargeMessage } from './admission';
import { createPartner, messageBody, usageOf } from '../test-support/gateway';
import { expectError, removeTempDirs, startHarness, type Harness } from '../test-support/harness';

let h: Harness;
let fake: FakeUpstream;
beforeAll(async () => {
  h = await startHarness();
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await h.stop();
  await fake.close();
  removeTempDirs();
});

const at = (iso: string) => {
  h.now.value = new Date(iso);
};
const send = (key: string, extra: Record<string, unknown> = {}) => h.call('POST', '/v1/messages', { key, body: messageBody(extra) });
// messageBody's input estimate: ceil(("user" + "Hello there").length / 4) = 4 tokens.
const WORST_64 = 68;

describe('who may send', () => {
  it('refuses admin keys with 403', async () => {
    at('2026-06-15T12:00:00.000Z');
    expectError(await send(h.adminKey), 403, 'permission_error', ADMIN_CANNOT_SEND);
  });

  it('refuses a partner without messages:write with 403 and audits it', async () => {
    const p = await createPartner(h, { permissions: ['messages:read'] });
    expectError(await send(p.key), 403, 'permission_error', 'this key does not hold the messages:write scope');
    const audit = await h.call('GET', `/v1/audit-logs?partner_id=${p.id}&action=partner.permission_denied`);
    expect((audit.body as { data: unknown[] }).data).toHaveLength(1);
  });
});

describe('the monthly token limit', () => {
  it('admits exactly the worst cases that fit when 20 requests race, and never exceeds the limit', async () => {
    at('2026-06-15T12:00:00.000Z');
    const racer = await startHarness({ upstream: 'anthropic', upstreamUrl: fake.url, upstreamApiKey: 'sk-ant-api03-owner-test-key', clock: () => new Date('2026-06-15T12:00:00.000Z') });
    try {
      // Worst case 200 + 4 = 204; five fit in 1,020. Each slow stream reports 144 tokens.
      const p = await createPartner(racer, { max_tokens_per_month: 1020 });
      fake.next(...Array.from({ length: 20 }, () => ({ delayMs: 30 })));
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => racer.call('POST', '/v1/messages', { key: p.key, body: messageBody({ max_tokens: 200, stream: true }) })),
      );
      const admitted = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status === 429);
      expect([admitted.length, refused.length]).toEqual([5, 15]);
      for (const a of refused) {
        expectError(a, 429, 'rate_limit_error', TOKEN_LIMIT_MESSAGE);
        expect(a.headers.get('x-should-retry')).toBe('false');
        // 2026-06-15T12:00Z → 2026-07-01T00:00Z is 15.5 days.
        expect(a.headers.get('retry-after')).toBe(String(15.5 * 86400));
      }
      expect(await usageOf(racer, p.id)).toMatchObject({ tokens_used: 5 * 144, tokens_limit: 1020, requests: 5 });
      const audit = await racer.call('GET', `/v1/audit-logs?partner_id=${p.id}&action=partner.usage_limit_reached`);
      expect((audit.body as { data: { details: unknown }[] }).data.map((e) => e.details)).toEqual([
        { period: '2026-06', max_tokens_per_month: 1020, requested_worst_case: 204 },
      ]);
    } finally {
      await racer.stop();
    }
  });

  it('resets at the UTC month turn, with retry-after to the exact second, and a raised limit applies at once', async () => {
    at('2026-06-30T23:59:59.250Z');
    const p = await createPartner(h, { max_tokens_per_month: WORST_64 });
    const first = await send(p.key);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-partner-tokens-remaining')).toBe('0');
    const used = (await usageOf(h, p.id)).tokens_used as number;

    // The answer used less than its worst case: tokens remain, but not enough for another.
    const refused = await send(p.key);
    expectError(refused, 429, 'rate_limit_error', tooLargeMessage(WORST_64, WORST_64 - used));
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(refused.headers.get('x-partner-tokens-remaining')).toBe(String(WORST_64 - used));

    at('2026-06-30T00:00:00.000Z');
    expect((await send(p.key)).headers.get('retry-after')).toBe('86400');

    at('2026-07-01T00:00:00.000Z');
    const july = await send(p.key);
    expect(july.status).toBe(200);
    expect(await usageOf(h, p.id)).toMatchObject({ period_start: '2026-07-01T00:00:00.000Z', period_end: '2026-08-01T00:00:00.000Z', tokens_used: used, requests: 1 });
    expect(await usageOf(h, p.id, '2026-06')).toMatchObject({ period_start: '2026-06-01T00:00:00.000Z', period_end: '2026-07-01T00:00:00.000Z', tokens_used: used, requests: 1 });
    expectError(await send(p.key), 429, 'rate_limit_error', tooLargeMessage(WORST_64, WORST_64 - used));

    expect((await h.call('PATCH', `/v1/partners/${p.id}`, { body: { max_tokens_per_month: 1000 } })).status).toBe(200);
    const raised = await send(p.key);
    expect(raised.status).toBe(200);
    expect(raised.headers.get('x-partner-tokens-remaining')).toBe(String(1000 - used - WORST_64));

    // Requests too big for what was left never exhausted the limit: nothing "reached" to audit.
    const audit = await h.call('GET', `/v1/audit-logs?partner_id=${p.id}&action=partner.usage_limit_reached`);
    expect((audit.body as { data: unknown[] }).data).toEqual([]);
  });

  it('says the limit is reached, and audits it once a period, only when nothing is left', async () => {
    at('2026-06-15T12:00:00.000Z');
    const p = await createPartner(h, { max_tokens_per_month: WORST_64 });
    expect((await send(p.key)).status).toBe(200);
    const used = (await usageOf(h, p.id)).tokens_used as number;
    expect((await h.call('PATCH', `/v1/partners/${p.id}`, { body: { max_tokens_per_month: used } })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const refused = await send(p.key);
      expectError(refused, 429, 'rate_limit_error', TOKEN_LIMIT_MESSAGE);
      expect(refused.headers.get('x-partner-tokens-remaining')).toBe('0');
      expect(refused.headers.get('x-should-retry')).toBe('false');
    }
    const audit = await h.call('GET', `/v1/audit-logs?partner_id=${p.id}&action=partner.usage_limit_reached`);
    const entries = (audit.body as { data: { details: Record<string, unknown> }[] }).data;
    expect(entries.map((e) => e.details)).toEqual([{ period: '2026-06', max_tokens_per_month: used, requested_worst_case: WORST_64 }]);
  });
});

describe('requests per minute', () => {
  it('allows N in any sliding 60 s and says exactly when the oldest leaves', async () => {
    const p = await createPartner(h, { requests_per_minute: 3 });
    for (const t of ['2026-06-15T12:00:00.000Z', '2026-06-15T12:00:10.000Z', '2026-06-15T12:00:20.000Z']) {
      at(t);
      expect((await send(p.key)).status).toBe(200);
    }
    at('2026-06-15T12:00:30.200Z');
    const refused = await send(p.key);
    expectError(refused, 429, 'rate_limit_error', RATE_LIMIT_MESSAGE);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.headers.get('x-should-retry')).toBeNull();

    at('2026-06-15T12:01:00.000Z');
    expect((await send(p.key)).status).toBe(200);
    expect((await send(p.key)).headers.get('retry-after')).toBe('10');
    expect(await usageOf(h, p.id)).toMatchObject({ requests: 4 });
  });

  it('uses the server default (defaultRequestsPerMinute) when the partner has none', async () => {
    const strict = await startHarness({ defaultRequestsPerMinute: 2 });
    try {
      const p = await createPartner(strict);
      const call = () => strict.call('POST', '/v1/messages', { key: p.key, body: messageBody() });
      expect([(await call()).status, (await call()).status, (await call()).status]).toEqual([200, 200, 429]);
    } finally {
      await strict.stop();
    }
  });
});
