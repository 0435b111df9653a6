/** POST /v1/partners/{id}/rotate: new key, grace window on an injected clock, "rotated" rejections. */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTNER_KEY_PATTERN, type PartnerKey } from '../../shared/api';
import { hashKey } from '../keys';
import { expectError, startHarness, type Harness } from '../test-support/harness';
import { auditOf, createPartner, keyStatus } from '../test-support/partners';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const T0 = '2026-06-15T12:00:00.000Z';
const at = (iso: string) => (h.now.value = new Date(iso));
const rotate = async (id: string, init: Parameters<Harness['call']>[2] = {}) => {
  const a = await h.call('POST', `/v1/partners/${id}/rotate`, init);
  expect(a.status).toBe(200);
  return a.body as PartnerKey;
};
const ROTATED = 'this key has been rotated; use the new key';

describe('POST /v1/partners/{id}/rotate', () => {
  it('answers the exact partner_key object; key_hint and key_created_at follow the new key', async () => {
    at(T0);
    const p = await createPartner(h, { permissions: ['admin:read'] });
    at('2026-06-15T12:10:00.000Z');
    const a = await h.call('POST', `/v1/partners/${p.id}/rotate`, { body: { grace_period_seconds: 3600 } });
    at(T0);
    const body = a.body as PartnerKey;
    expect(a.status).toBe(200);
    expect(Object.keys(body)).toEqual(['type', 'partner_id', 'api_key', 'key_hint', 'previous_key_expires_at']);
    expect(body.api_key).toMatch(PARTNER_KEY_PATTERN);
    expect(body).toEqual({
      type: 'partner_key', partner_id: p.id, api_key: body.api_key,
      key_hint: `…${body.api_key.slice(-4)}`, previous_key_expires_at: '2026-06-15T13:10:00.000Z',
    });
    const got = await h.call('GET', `/v1/partners/${p.id}`);
    expect(got.body).toMatchObject({ key_hint: body.key_hint, key_created_at: '2026-06-15T12:10:00.000Z', updated_at: '2026-06-15T12:10:00.000Z' });
    const [entry] = await auditOf(h, p.id, '&action=partner.key_rotated');
    expect(entry).toMatchObject({
      partner_id: p.id, actor: { type: 'admin_key' },
      details: { grace_period_seconds: 3600, previous_key_expires_at: '2026-06-15T13:10:00.000Z' },
    });
  });

  it('accepts no body with a JSON content type, no body without one, and an empty object', async () => {
    const p = await createPartner(h);
    for (const init of [{ raw: '' }, {}, { body: {} }, { raw: '{}', headers: { 'content-type': 'application/json; charset=utf-8' } }]) {
      expect(await rotate(p.id, init)).toMatchObject({ previous_key_expires_at: T0 });
    }
  });

  it('keeps the old key working during the grace window, then answers "rotated" and audits it', async () => {
    at(T0);
    const p = await createPartner(h, { permissions: ['admin:read'] });
    const r = await rotate(p.id, { body: { grace_period_seconds: 60 } });
    at('2026-06-15T12:00:59.999Z');
    expect(await keyStatus(h, p.api_key)).toBe(200);
    expect(await keyStatus(h, r.api_key)).toBe(200);
    at('2026-06-15T12:01:00.000Z');
    expectError(await h.call('GET', '/v1/partners', { key: p.api_key }), 401, 'authentication_error', ROTATED);
    expect(await keyStatus(h, r.api_key)).toBe(200);
    at(T0);
    const [entry] = await auditOf(h, p.id, '&action=partner.auth_rejected');
    expect(entry).toMatchObject({ actor: { type: 'partner', id: p.id }, details: { reason: 'rotated' } });
  });

  it('with no grace stops the old key at once', async () => {
    const p = await createPartner(h, { permissions: ['admin:read'] });
    const r = await rotate(p.id);
    expectError(await h.call('GET', '/v1/partners', { key: p.api_key }), 401, 'authentication_error', ROTATED);
    expect(await keyStatus(h, r.api_key)).toBe(200);
  });

  it('bounds older keys still in grace by the newest rotation', async () => {
    at(T0);
    const p = await createPartner(h, { permissions: ['admin:read'] });
    const r1 = await rotate(p.id, { body: { grace_period_seconds: 3600 } });
    const r2 = await rotate(p.id, { body: { grace_period_seconds: 600 } });
    at('2026-06-15T12:09:59.000Z');
    expect([await keyStatus(h, p.api_key), await keyStatus(h, r1.api_key), await keyStatus(h, r2.api_key)]).toEqual([200, 200, 200]);
    at('2026-06-15T12:10:00.000Z');
    expect([await keyStatus(h, p.api_key), await keyStatus(h, r1.api_key), await keyStatus(h, r2.api_key)]).toEqual([401, 401, 200]);
    at(T0);
    const r3 = await rotate(p.id); // no grace: every earlier key stops now
    expect([await keyStatus(h, r2.api_key), await keyStatus(h, r3.api_key)]).toEqual([401, 200]);
  });

  it('says "suspended" for a suspended partner\'s current key, "rotated" for its retired one', async () => {
    const p = await createPartner(h, { permissions: ['admin:read'] });
    const r = await rotate(p.id);
    await h.call('PATCH', `/v1/partners/${p.id}`, { body: { active: false } });
    expectError(await h.call('GET', '/v1/partners', { key: r.api_key }), 401, 'authentication_error', 'this partner is suspended');
    expectError(await h.call('GET', '/v1/partners', { key: p.api_key }), 401, 'authentication_error', ROTATED);
  });

  it('stores only hashes and hints: no key or hash in any answer, audit row or log line', async () => {
    const p = await createPartner(h, { permissions: ['admin:read', 'admin:write'] });
    const r = await rotate(p.id, { body: { grace_period_seconds: 30 } });
    await keyStatus(h, p.api_key);
    await keyStatus(h, r.api_key);
    const secrets = [p.api_key, r.api_key, hashKey(p.api_key), hashKey(r.api_key)];
    const answers = [
      (await h.call('GET', `/v1/partners/${p.id}`)).text,
      (await h.call('GET', '/v1/partners?limit=1000')).text,
      (await h.call('GET', '/v1/audit-logs?limit=1000')).text,
      h.logs.join('\n'),
    ];
    const db = new Database(join(h.dataDir, 'partners.db'), { readonly: true });
    const keyRows = db.prepare('SELECT * FROM partner_keys WHERE partner_id = ? ORDER BY seq').all(p.id) as Record<string, unknown>[];
    const auditRows = JSON.stringify(db.prepare('SELECT * FROM audit_logs').all());
    db.close();
    for (const text of [...answers, auditRows]) for (const s of secrets) expect(text).not.toContain(s);
    expect(keyRows.map((k) => [k.key_hash, k.key_hint, k.retired_at, k.expires_at])).toEqual([
      [hashKey(p.api_key), p.key_hint, T0, '2026-06-15T12:00:30.000Z'],
      [hashKey(r.api_key), r.key_hint, null, null],
    ]);
    // Not even the database file holds a key.
    const raw = readFileSync(join(h.dataDir, 'partners.db')).toString('latin1');
    for (const key of [p.api_key, r.api_key]) expect(raw).not.toContain(key);
  });

  it('validates the grace period and naming the field; 404 for unknown ids', async () => {
    const p = await createPartner(h);
    const GRACE = 'grace_period_seconds: expected an integer from 0 to 604800';
    for (const body of [{ grace_period_seconds: -1 }, { grace_period_seconds: 604_801 }, { grace_period_seconds: 1.5 }, { grace_period_seconds: '10' }, { grace_period_seconds: null }]) {
      expectError(await h.call('POST', `/v1/partners/${p.id}/rotate`, { body }), 400, 'invalid_request_error', GRACE);
    }
    expectError(await h.call('POST', `/v1/partners/${p.id}/rotate`, { body: { grace: 5 } }), 400, 'invalid_request_error', 'grace: unknown field');
    expect((await rotate(p.id, { body: { grace_period_seconds: 604_800 } })).previous_key_expires_at).toBe('2026-06-22T12:00:00.000Z');
    expectError(await h.call('POST', '/v1/partners/partner_000000000000000000000000/rotate'), 404, 'not_found_error', 'partner not found');
  });
});
