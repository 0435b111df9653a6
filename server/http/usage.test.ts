/** GET /v1/partners/{id}/usage, GET /v1/usage and GET /v1/messages/history. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPartner, messageBody, type TestPartner } from '../test-support/gateway';
import { expectError, removeTempDirs, startHarness, type Harness } from '../test-support/harness';

let h: Harness;
let a: TestPartner;
let b: TestPartner;
beforeAll(async () => {
  h = await startHarness();
  a = await createPartner(h, { max_tokens_per_month: 5000 });
  b = await createPartner(h);
  for (const stream of [false, true]) {
    expect((await h.call('POST', '/v1/messages', { key: a.key, body: messageBody({ stream }) })).status).toBe(200);
  }
});
afterAll(async () => {
  await h.stop();
  removeTempDirs();
});

const EMPTY = { tokens_used: 0, input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, requests: 0 };
// Two sandbox answers to messageBody(): 4 input and 13 output tokens each.
const A_JUNE = { tokens_used: 34, input_tokens: 8, output_tokens: 26, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, requests: 2 };

describe('GET /v1/partners/{id}/usage', () => {
  it('returns the exact usage object of the current month', async () => {
    const u = await h.call('GET', `/v1/partners/${a.id}/usage`);
    expect(u.status).toBe(200);
    expect(Object.keys(u.body as object)).toEqual([
      'type', 'partner_id', 'period_start', 'period_end', 'tokens_used', 'tokens_limit', 'input_tokens', 'output_tokens',
      'cache_creation_input_tokens', 'cache_read_input_tokens', 'requests',
    ]);
    expect(u.body).toEqual({ type: 'partner_usage', partner_id: a.id, period_start: '2026-06-01T00:00:00.000Z', period_end: '2026-07-01T00:00:00.000Z', tokens_limit: 5000, ...A_JUNE });
  });

  it('reads an earlier period, zero when nothing happened, and crosses years', async () => {
    const u = await h.call('GET', `/v1/partners/${a.id}/usage?period=2025-12`);
    expect(u.body).toEqual({ type: 'partner_usage', partner_id: a.id, period_start: '2025-12-01T00:00:00.000Z', period_end: '2026-01-01T00:00:00.000Z', tokens_limit: 5000, ...EMPTY });
  });

  it.each(['2026-13', '2026-6', '202606', 'june', ''])('refuses period=%s', async (period) => {
    expectError(await h.call('GET', `/v1/partners/${a.id}/usage?period=${period}`), 400, 'invalid_request_error', 'period: expected a month such as 2026-06 (YYYY-MM, UTC)');
  });

  it('404s unknown and wrongly cased partners; refuses unknown parameters', async () => {
    expectError(await h.call('GET', '/v1/partners/partner_000000000000000000000000/usage'), 404, 'not_found_error', 'partner not found');
    expectError(await h.call('GET', `/v1/partners/P${a.id.slice(1)}/usage`), 404, 'not_found_error', 'partner not found');
    expectError(await h.call('GET', `/v1/partners/${a.id}/usage?month=2026-06`), 400, 'invalid_request_error', 'month: unknown query parameter');
  });

  it('needs admin or admin:read', async () => {
    expectError(await h.call('GET', `/v1/partners/${a.id}/usage`, { key: a.key }), 403, 'permission_error', 'this key does not hold the admin:read scope');
    const reader = await createPartner(h, { permissions: ['admin:read'] });
    expect((await h.call('GET', `/v1/partners/${a.id}/usage`, { key: reader.key })).status).toBe(200);
  });
});

describe('GET /v1/usage', () => {
  it('pages over partners newest first with the list shape', async () => {
    const c = await createPartner(h);
    const first = await h.call('GET', '/v1/usage?limit=2');
    const page = first.body as { data: { partner_id: string }[]; has_more: boolean; first_id: string; last_id: string };
    expect(page.has_more).toBe(true);
    expect(page.data[0]).toEqual({ type: 'partner_usage', partner_id: c.id, period_start: '2026-06-01T00:00:00.000Z', period_end: '2026-07-01T00:00:00.000Z', tokens_limit: null, ...EMPTY });
    expect([page.first_id, page.last_id]).toEqual([page.data[0]!.partner_id, page.data[1]!.partner_id]);
    const all = (await h.call('GET', '/v1/usage?limit=1000')).body as { data: { partner_id: string }[] };
    expect(all.data.find((u) => u.partner_id === a.id)).toMatchObject(A_JUNE);
    const older = (await h.call('GET', `/v1/usage?limit=1000&after_id=${b.id}`)).body as { data: { partner_id: string }[] };
    expect(older.data.map((u) => u.partner_id)).toEqual([a.id]);
    const may = (await h.call('GET', `/v1/usage?period=2026-05&limit=1000`)).body as { data: { tokens_used: number }[] };
    expect(may.data.every((u) => u.tokens_used === 0)).toBe(true);
    expectError(await h.call('GET', '/v1/usage?after_id=partner_000000000000000000000000'), 400, 'invalid_request_error', 'after_id: no partner with this ID');
  });
});

describe('a deleted partner', () => {
  it('keeps the tokens it spent in the reports: by ID, and in GET /v1/usage for the months it was alive', async () => {
    const gone = await createPartner(h);
    expect((await h.call('POST', '/v1/messages', { key: gone.key, body: messageBody() })).status).toBe(200);
    expect((await h.call('DELETE', `/v1/partners/${gone.id}`)).status).toBe(204);
    expectError(await h.call('GET', `/v1/partners/${gone.id}`), 404, 'not_found_error', 'partner not found');

    const spent = { tokens_used: 17, input_tokens: 4, output_tokens: 13, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, requests: 1 };
    expect((await h.call('GET', `/v1/partners/${gone.id}/usage`)).body).toMatchObject({ partner_id: gone.id, ...spent });
    const june = (await h.call('GET', '/v1/usage?limit=1000')).body as { data: { partner_id: string }[] };
    expect(june.data.find((u) => u.partner_id === gone.id)).toMatchObject(spent);
    // Deleted in June: not a partner of July any more.
    const july = (await h.call('GET', '/v1/usage?period=2026-07&limit=1000')).body as { data: { partner_id: string }[] };
    expect(july.data.map((u) => u.partner_id)).not.toContain(gone.id);
    expect(july.data.map((u) => u.partner_id)).toContain(a.id);
  });
});

describe('GET /v1/messages/history', () => {
  it('lists the caller\'s own requests, newest first, metadata only', async () => {
    const hist = await h.call('GET', '/v1/messages/history', { key: a.key });
    const page = hist.body as { data: Record<string, unknown>[]; has_more: boolean };
    expect(page.data.map((r) => r.stream)).toEqual([true, false]);
    expect(Object.keys(page.data[0]!)).toEqual([
      'type', 'id', 'model', 'stream', 'status', 'input_tokens', 'output_tokens', 'cache_creation_input_tokens',
      'cache_read_input_tokens', 'started_at', 'finished_at', 'duration_ms',
    ]);
    expect(page.data[0]).toMatchObject({ type: 'message_request', model: 'claude-sonnet-4-5', status: 200, input_tokens: 4, output_tokens: 13, started_at: '2026-06-15T12:00:00.000Z' });
    expect(hist.text).not.toContain('Hello there');
    const second = await h.call('GET', `/v1/messages/history?limit=1&after_id=${page.data[0]!.id as string}`, { key: a.key });
    expect((second.body as { data: { id: string }[]; has_more: boolean })).toMatchObject({ data: [{ id: page.data[1]!.id }], has_more: false });
  });

  it('shows nothing of other partners and needs messages:read on a partner key', async () => {
    expect((await h.call('GET', '/v1/messages/history', { key: b.key })).body).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
    const mine = ((await h.call('GET', '/v1/messages/history', { key: a.key })).body as { data: { id: string }[] }).data[0]!.id;
    expectError(await h.call('GET', `/v1/messages/history?after_id=${mine}`, { key: b.key }), 400, 'invalid_request_error', 'after_id: no request with this ID in this partner\'s history');
    const writer = await createPartner(h, { permissions: ['messages:write'] });
    expectError(await h.call('GET', '/v1/messages/history', { key: writer.key }), 403, 'permission_error', 'this key does not hold the messages:read scope');
  });
});
