/** PATCH /v1/partners/{id}: every field, exact bodies, audit of changes only, immediate effect. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, startHarness, type Harness } from '../test-support/harness';
import { auditOf, createPartner, keyStatus } from '../test-support/partners';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const T0 = '2026-06-15T12:00:00.000Z';
const T1 = '2026-06-15T12:30:00.000Z';

describe('PATCH /v1/partners/{id}', () => {
  it('changes every field at once and returns the exact partner', async () => {
    h.now.value = new Date(T0);
    const p = await createPartner(h, { name: 'before', permissions: ['admin:read'] });
    h.now.value = new Date(T1);
    const a = await h.call('PATCH', `/v1/partners/${p.id}`, {
      body: {
        name: 'after',
        description: 'now described',
        permissions: ['admin:read', 'messages:write', 'files:read'],
        max_tokens_per_month: 2_000_000,
        requests_per_minute: 30,
        expires_at: '2027-03-01T10:00:00+01:00',
        active: false,
      },
    });
    h.now.value = new Date(T0);
    expect(a.status).toBe(200);
    expect(a.body).toEqual({
      type: 'partner', id: p.id, name: 'after', description: 'now described',
      permissions: ['admin:read', 'messages:write', 'files:read'], max_tokens_per_month: 2_000_000,
      requests_per_minute: 30, expires_at: '2027-03-01T09:00:00.000Z', active: false, key_hint: p.key_hint,
      key_created_at: T0, last_used_at: null, created_at: T0, updated_at: T1,
    });
    expect((await h.call('GET', `/v1/partners/${p.id}`)).body).toEqual(a.body);
    const [entry] = await auditOf(h, p.id, '&action=partner.updated');
    expect(entry?.details).toEqual({
      changes: {
        name: { before: 'before', after: 'after' },
        description: { before: null, after: 'now described' },
        permissions: { before: ['admin:read'], after: ['admin:read', 'messages:write', 'files:read'] },
        max_tokens_per_month: { before: null, after: 2_000_000 },
        requests_per_minute: { before: null, after: 30 },
        expires_at: { before: null, after: '2027-03-01T09:00:00.000Z' },
        active: { before: true, after: false },
      },
    });
    expect(entry).toMatchObject({ partner_id: p.id, partner_name: 'after', actor: { type: 'admin_key' } });
  });

  it('audits only the fields whose value changed, and null clears', async () => {
    const p = await createPartner(h, { description: 'd', max_tokens_per_month: 5, expires_at: '2027-01-01T00:00:00Z' });
    const a = await h.call('PATCH', `/v1/partners/${p.id}`, {
      body: { name: 'partner', description: null, max_tokens_per_month: null, expires_at: null, permissions: ['messages:write'] },
    });
    expect(a.body).toMatchObject({ name: 'partner', description: null, max_tokens_per_month: null, expires_at: null });
    const [entry] = await auditOf(h, p.id, '&action=partner.updated');
    expect(entry?.details).toEqual({
      changes: {
        description: { before: 'd', after: null },
        max_tokens_per_month: { before: 5, after: null },
        expires_at: { before: '2027-01-01T00:00:00.000Z', after: null },
      },
    });
  });

  it('writes nothing for a PATCH that changes nothing', async () => {
    const p = await createPartner(h, { permissions: ['files:read', 'files:write'] });
    h.now.value = new Date(T1);
    const a = await h.call('PATCH', `/v1/partners/${p.id}`, { body: { active: true, permissions: ['files:write', 'files:read'] } });
    h.now.value = new Date(T0);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ updated_at: T0, permissions: ['files:read', 'files:write'] });
    expect((await auditOf(h, p.id)).map((e) => e.action)).toEqual(['partner.created']);
  });

  it('takes effect on the very next request: suspend, resume, expire, extend, rescope', async () => {
    const p = await createPartner(h, { permissions: ['admin:read'], expires_at: '2026-07-01T00:00:00Z' });
    expect(await keyStatus(h, p.api_key)).toBe(200);
    await h.call('PATCH', `/v1/partners/${p.id}`, { body: { active: false } });
    expectError(await h.call('GET', '/v1/partners', { key: p.api_key }), 401, 'authentication_error', 'this partner is suspended');
    await h.call('PATCH', `/v1/partners/${p.id}`, { body: { active: true } });
    expect(await keyStatus(h, p.api_key)).toBe(200);

    h.now.value = new Date('2026-07-01T00:00:00.000Z');
    expectError(await h.call('GET', '/v1/partners', { key: p.api_key }), 401, 'authentication_error', 'this key has expired');
    await h.call('PATCH', `/v1/partners/${p.id}`, { body: { expires_at: null } });
    expect(await keyStatus(h, p.api_key)).toBe(200);
    h.now.value = new Date(T0);

    await h.call('PATCH', `/v1/partners/${p.id}`, { body: { permissions: ['messages:write'] } });
    expectError(await h.call('GET', '/v1/partners', { key: p.api_key }), 403, 'permission_error', 'this key does not hold the admin:read scope');
  });

  it('validates like create and names the field', async () => {
    const p = await createPartner(h);
    const cases: [unknown, string][] = [
      [{}, 'body: expected at least one of name, description, permissions, max_tokens_per_month, requests_per_minute, expires_at, active'],
      [{ name: '' }, 'name: must not be empty'],
      [{ name: null }, 'name: expected a string'],
      [{ permissions: [] }, 'permissions: must hold at least one scope'],
      [{ permissions: null }, 'permissions: expected an array of scopes'],
      [{ max_tokens_per_month: 0 }, 'max_tokens_per_month: expected an integer from 1 to 1000000000000, or null'],
      [{ expires_at: '2026-06-15T11:59:59Z' }, 'expires_at: must be in the future'],
      [{ active: 'false' }, 'active: expected true or false'],
      [{ active: null }, 'active: expected true or false'],
      [{ key_hint: '…abcd' }, 'key_hint: unknown field'],
      [{ id: 'partner_000000000000000000000000' }, 'id: unknown field'],
    ];
    for (const [body, message] of cases) {
      expectError(await h.call('PATCH', `/v1/partners/${p.id}`, { body }), 400, 'invalid_request_error', message);
    }
    expect((await auditOf(h, p.id)).map((e) => e.action)).toEqual(['partner.created']);
  });

  it('answers 404 for unknown, malformed, wrong-case and deleted ids', async () => {
    const p = await createPartner(h);
    await h.call('DELETE', `/v1/partners/${p.id}`);
    const wrongCase = `Partner_${p.id.slice(8)}`;
    for (const id of ['partner_000000000000000000000000', 'nope', wrongCase, p.id]) {
      expectError(await h.call('PATCH', `/v1/partners/${id}`, { body: { name: 'x' } }), 404, 'not_found_error', 'partner not found');
    }
  });

  it('needs admin:write', async () => {
    const reader = await createPartner(h, { permissions: ['admin:read'] });
    expectError(
      await h.call('PATCH', `/v1/partners/${reader.id}`, { key: reader.api_key, body: { name: 'x' } }),
      403, 'permission_error', 'this key does not hold the admin:write scope',
    );
    expectError(await h.call('PATCH', `/v1/partners/${reader.id}`, { key: null, body: { name: 'x' } }), 401, 'authentication_error', 'x-api-key header is required');
  });
});
