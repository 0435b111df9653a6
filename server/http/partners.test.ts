import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTNER_ID_PATTERN, PARTNER_KEY_PATTERN } from '../../shared/api';
import { REQUEST_ID, expectError, startHarness, type Harness } from '../test-support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const NOW = '2026-06-15T12:00:00.000Z';

describe('POST /v1/partners', () => {
  it('creates a partner with every default and returns its key once', async () => {
    const a = await h.call('POST', '/v1/partners', { body: { name: 'Build bot', permissions: ['messages:write'] } });
    expect(a.status).toBe(201);
    expect(a.headers.get('request-id')).toMatch(REQUEST_ID);
    const body = a.body as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'type', 'id', 'name', 'description', 'permissions', 'max_tokens_per_month', 'requests_per_minute',
      'expires_at', 'active', 'key_hint', 'key_created_at', 'last_used_at', 'created_at', 'updated_at', 'api_key',
    ]);
    expect(body.id).toMatch(PARTNER_ID_PATTERN);
    expect(body.api_key).toMatch(PARTNER_KEY_PATTERN);
    expect(body).toEqual({
      type: 'partner',
      id: body.id,
      name: 'Build bot',
      description: null,
      permissions: ['messages:write'],
      max_tokens_per_month: null,
      requests_per_minute: null,
      expires_at: null,
      active: true,
      key_hint: `…${(body.api_key as string).slice(-4)}`,
      key_created_at: NOW,
      last_used_at: null,
      created_at: NOW,
      updated_at: NOW,
      api_key: body.api_key,
    });
  });

  it('stores every field and normalises an offset expiry to the same instant in UTC', async () => {
    const a = await h.call('POST', '/v1/partners', {
      body: {
        name: 'Client A',
        description: 'line one\nline two',
        permissions: ['messages:read', 'admin:read'],
        max_tokens_per_month: 1_000_000,
        requests_per_minute: 60,
        expires_at: '2027-01-01T01:30:00+02:00',
      },
    });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      description: 'line one\nline two',
      permissions: ['messages:read', 'admin:read'],
      max_tokens_per_month: 1_000_000,
      requests_per_minute: 60,
      expires_at: '2026-12-31T23:30:00.000Z',
    });
    const got = await h.call('GET', `/v1/partners/${(a.body as { id: string }).id}`);
    const { api_key: _k, ...partner } = a.body as Record<string, unknown>;
    expect(got.status).toBe(200);
    expect(got.body).toEqual(partner);
  });

  it('accepts SQL and markup in names verbatim and returns them intact', async () => {
    for (const name of ["Robert'); DROP TABLE partners;--", '<script>alert(1)</script>', 'ünï😀 名前', 'שלום עולם']) {
      const a = await h.call('POST', '/v1/partners', { body: { name, permissions: ['files:read'] } });
      expect(a.status).toBe(201);
      const got = await h.call('GET', `/v1/partners/${(a.body as { id: string }).id}`);
      expect((got.body as { name: string }).name).toBe(name);
    }
  });

  it('gives every partner a distinct id and key', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => h.call('POST', '/v1/partners', { body: { name: 'same', permissions: ['files:read'] } })),
    );
    const bodies = answers.map((a) => a.body as { id: string; api_key: string });
    expect(new Set(bodies.map((b) => b.id)).size).toBe(5);
    expect(new Set(bodies.map((b) => b.api_key)).size).toBe(5);
  });
});

describe('GET /v1/partners/{id}', () => {
  it('never returns the key', async () => {
    const a = await h.call('POST', '/v1/partners', { body: { name: 'k', permissions: ['files:read'] } });
    const got = await h.call('GET', `/v1/partners/${(a.body as { id: string }).id}`);
    expect(got.text).not.toContain((a.body as { api_key: string }).api_key);
    expect(got.body).not.toHaveProperty('api_key');
  });

  it('answers 404 for an unknown but well-formed id', async () => {
    expectError(await h.call('GET', '/v1/partners/partner_000000000000000000000000'), 404, 'not_found_error', 'partner not found');
  });
});

describe('GET /v1/partners', () => {
  it('pages newest first in both directions with exact cursors', async () => {
    const fresh = await startHarness();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const a = await fresh.call('POST', '/v1/partners', { body: { name: `p${i}`, permissions: ['files:read'] } });
        ids.push((a.body as { id: string }).id);
      }
      const newest = [...ids].reverse();
      const page = async (q: string) => (await fresh.call('GET', `/v1/partners${q}`)).body as {
        data: { id: string }[]; has_more: boolean; first_id: string | null; last_id: string | null;
      };
      const shape = (p: Awaited<ReturnType<typeof page>>) => ({ ids: p.data.map((d) => d.id), has_more: p.has_more, first_id: p.first_id, last_id: p.last_id });

      const all = await page('');
      expect(shape(all)).toEqual({ ids: newest, has_more: false, first_id: newest[0], last_id: newest[6] });
      expect(Object.keys(all)).toEqual(['data', 'has_more', 'first_id', 'last_id']);

      const p1 = await page('?limit=3');
      expect(shape(p1)).toEqual({ ids: newest.slice(0, 3), has_more: true, first_id: newest[0], last_id: newest[2] });
      const p2 = await page(`?limit=3&after_id=${p1.last_id}`);
      expect(shape(p2)).toEqual({ ids: newest.slice(3, 6), has_more: true, first_id: newest[3], last_id: newest[5] });
      const p3 = await page(`?limit=3&after_id=${p2.last_id}`);
      expect(shape(p3)).toEqual({ ids: newest.slice(6), has_more: false, first_id: newest[6], last_id: newest[6] });
      const end = await page(`?limit=3&after_id=${p3.last_id}`);
      expect(shape(end)).toEqual({ ids: [], has_more: false, first_id: null, last_id: null });

      // Backwards from the last page: before_id returns the newer neighbours, still newest first.
      const b1 = await page(`?limit=3&before_id=${p3.first_id}`);
      expect(shape(b1)).toEqual({ ids: newest.slice(3, 6), has_more: true, first_id: newest[3], last_id: newest[5] });
      const b2 = await page(`?limit=3&before_id=${b1.first_id}`);
      expect(shape(b2)).toEqual({ ids: newest.slice(0, 3), has_more: false, first_id: newest[0], last_id: newest[2] });
      const b3 = await page(`?limit=2&before_id=${newest[3]}`);
      expect(shape(b3)).toEqual({ ids: newest.slice(1, 3), has_more: true, first_id: newest[1], last_id: newest[2] });

      expect(shape(await page('?limit=1000'))).toMatchObject({ ids: newest, has_more: false });
      expect(shape(await page('?limit=1'))).toEqual({ ids: [newest[0]], has_more: true, first_id: newest[0], last_id: newest[0] });
    } finally {
      await fresh.stop();
    }
  });

  it('answers an empty list on a fresh server', async () => {
    const fresh = await startHarness();
    try {
      const a = await fresh.call('GET', '/v1/partners');
      expect(a.body).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
    } finally {
      await fresh.stop();
    }
  });
});

describe('routing', () => {
  it('answers unknown routes and wrong methods in the error shape', async () => {
    expectError(await h.call('GET', '/v1/nothing'), 404, 'not_found_error', 'no route for GET /v1/nothing');
    expectError(await h.call('PUT', '/v1/partners', { body: {} }), 404, 'not_found_error', 'no route for PUT /v1/partners');
    expectError(await h.call('GET', '/v1/Partners'), 404, 'not_found_error', 'no route for GET /v1/Partners');
    expectError(await h.call('GET', '/', { key: null, headers: { 'anthropic-version': null } }), 404, 'not_found_error', 'no route for GET /');
  });
});
