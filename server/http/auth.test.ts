/** Who may do what: admin keys, partner keys and their scopes, expiry, suspension, last_used_at. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, startHarness, type Harness } from '../test-support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

async function partner(permissions: string[], extra: Record<string, unknown> = {}) {
  const a = await h.call('POST', '/v1/partners', { body: { name: `p-${permissions.join('+')}`, permissions, ...extra } });
  expect(a.status).toBe(201);
  return a.body as { id: string; api_key: string; last_used_at: string | null };
}

function auditActions(partnerId: string): { action: string; actor_type: string; details: string }[] {
  const db = new Database(join(h.dataDir, 'partners.db'), { readonly: true });
  try {
    return db.prepare('SELECT action, actor_type, details FROM audit_logs WHERE partner_id = ? ORDER BY seq').all(partnerId) as never;
  } finally {
    db.close();
  }
}

describe('partner keys', () => {
  it('with admin:read can list and get, but not create', async () => {
    const reader = await partner(['admin:read']);
    expect((await h.call('GET', '/v1/partners', { key: reader.api_key })).status).toBe(200);
    expect((await h.call('GET', `/v1/partners/${reader.id}`, { key: reader.api_key })).status).toBe(200);
    expectError(
      await h.call('POST', '/v1/partners', { key: reader.api_key, body: { name: 'x', permissions: ['admin:read'] } }),
      403, 'permission_error', 'this key does not hold the admin:write scope',
    );
    expect(auditActions(reader.id).map((r) => r.action)).toEqual(['partner.created', 'partner.permission_denied']);
  });

  it('without admin:read gets 403 on both GET endpoints', async () => {
    const writer = await partner(['admin:write', 'messages:write']);
    expectError(await h.call('GET', '/v1/partners', { key: writer.api_key }), 403, 'permission_error', 'this key does not hold the admin:read scope');
    expectError(await h.call('GET', `/v1/partners/${writer.id}`, { key: writer.api_key }), 403, 'permission_error', 'this key does not hold the admin:read scope');
  });

  it('with admin:write can create within its own scopes but never escalate', async () => {
    const writer = await partner(['admin:write', 'messages:write']);
    const child = await h.call('POST', '/v1/partners', { key: writer.api_key, body: { name: 'child', permissions: ['messages:write'] } });
    expect(child.status).toBe(201);
    expectError(
      await h.call('POST', '/v1/partners', { key: writer.api_key, body: { name: 'up', permissions: ['messages:write', 'admin:read'] } }),
      403, 'permission_error', 'permissions: cannot grant admin:read, which this key does not hold',
    );
    const audit = auditActions((child.body as { id: string }).id);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_type).toBe('partner');
  });

  it('is accepted as Authorization: Bearer and updates last_used_at', async () => {
    const reader = await partner(['admin:read']);
    expect(reader.last_used_at).toBeNull();
    h.now.value = new Date('2026-06-15T12:05:00.000Z');
    const a = await h.call('GET', `/v1/partners/${reader.id}`, { key: null, headers: { authorization: `Bearer ${reader.api_key}` } });
    expect(a.status).toBe(200);
    expect((a.body as { last_used_at: string }).last_used_at).toBe('2026-06-15T12:05:00.000Z');
    const byAdmin = await h.call('GET', `/v1/partners/${reader.id}`);
    expect((byAdmin.body as { last_used_at: string }).last_used_at).toBe('2026-06-15T12:05:00.000Z');
  });

  it('is rejected with 401 "expired" once its expiry passes (fixed clock)', async () => {
    h.now.value = new Date('2026-06-15T12:00:00.000Z');
    const p = await partner(['admin:read'], { expires_at: '2026-06-15T13:00:00Z' });
    h.now.value = new Date('2026-06-15T12:59:59.999Z');
    expect((await h.call('GET', '/v1/partners', { key: p.api_key })).status).toBe(200);
    h.now.value = new Date('2026-06-15T13:00:00.000Z');
    expectError(await h.call('GET', '/v1/partners', { key: p.api_key }), 401, 'authentication_error', 'this key has expired');
    h.now.value = new Date('2026-06-15T12:00:00.000Z');
    const audit = auditActions(p.id);
    expect(audit.at(-1)).toMatchObject({ action: 'partner.auth_rejected', details: '{"reason":"expired"}' });
  });

  it('is rejected with 401 "suspended" when its partner is inactive', async () => {
    const p = await partner(['admin:read']);
    // PATCH comes in a later issue; suspend directly in the database (WAL allows a second writer connection).
    const db = new Database(join(h.dataDir, 'partners.db'));
    db.prepare('UPDATE partners SET active = 0 WHERE id = ?').run(p.id);
    db.close();
    expectError(await h.call('GET', '/v1/partners', { key: p.api_key }), 401, 'authentication_error', 'this partner is suspended');
  });
});

describe('admin keys', () => {
  it('are accepted as Authorization: Bearer too', async () => {
    const a = await h.call('GET', '/v1/partners', { key: null, headers: { authorization: `Bearer ${h.adminKey}` } });
    expect(a.status).toBe(200);
  });

  it('record the admin actor on partner.created', async () => {
    const p = await partner(['files:read']);
    const [row] = auditActions(p.id);
    expect(row?.actor_type).toBe('admin_key');
    expect(JSON.parse(row?.details ?? '{}')).toEqual({
      name: 'p-files:read', description: null, permissions: ['files:read'], max_tokens_per_month: null,
      requests_per_minute: null, expires_at: null, active: true, key_created_at: '2026-06-15T12:00:00.000Z',
      last_used_at: null, created_at: '2026-06-15T12:00:00.000Z', updated_at: '2026-06-15T12:00:00.000Z',
    });
  });

  it('a wrong-case admin key is unknown', async () => {
    const flip = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());
    const at = [...h.adminKey].findIndex((c, i) => i >= 'sk-ant-admin-'.length && flip(c) !== c);
    const mangled = h.adminKey.slice(0, at) + flip(h.adminKey[at] as string) + h.adminKey.slice(at + 1);
    expect(mangled.toLowerCase()).toBe(h.adminKey.toLowerCase());
    expect(mangled).not.toBe(h.adminKey);
    expectError(await h.call('GET', '/v1/partners', { key: mangled }), 401, 'authentication_error', 'invalid x-api-key');
  });
});
