/**
 * The non-escalation matrix: a partner key with admin:write can never grant a scope it lacks
 * (create, PATCH, itself included), nor PATCH, rotate or delete a partner holding one (403).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../shared/api';
import { startHarness, type Harness } from '../test-support/harness';
import { auditOf, createPartner } from '../test-support/partners';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const W: Scope[] = ['admin:write', 'messages:write'];
const RW: Scope[] = ['admin:read', 'admin:write'];
const R: Scope[] = ['admin:read'];

type Op = 'create' | 'patch' | 'rotate' | 'delete';
interface Row {
  title: string;
  caller: Scope[] | 'admin';
  op: Op;
  /** Scopes of the partner acted on; 'self' = the caller itself. */
  target?: Scope[] | 'self';
  body?: Record<string, unknown>;
  status: number;
  /** Expected 403 message; `{target}` stands for the target's id. */
  message?: string;
}

const grant = (s: Scope) => `permissions: cannot grant ${s}, which this key does not hold`;
const holds = (s: Scope) => `cannot change {target}: it holds ${s}, which this key does not hold`;
const scope = (s: Scope) => `this key does not hold the ${s} scope`;

const ROWS: Row[] = [
  { title: 'create within own scopes', caller: W, op: 'create', body: { permissions: ['messages:write'] }, status: 201 },
  { title: 'create with all own scopes', caller: W, op: 'create', body: { permissions: W }, status: 201 },
  { title: 'create granting admin:read', caller: W, op: 'create', body: { permissions: ['admin:read'] }, status: 403, message: grant('admin:read') },
  { title: 'create granting files:write', caller: RW, op: 'create', body: { permissions: ['admin:read', 'files:write'] }, status: 403, message: grant('files:write') },
  { title: 'patch self: rename', caller: W, op: 'patch', target: 'self', body: { name: 'me' }, status: 200 },
  { title: 'patch self: drop a scope', caller: W, op: 'patch', target: 'self', body: { permissions: ['admin:write'] }, status: 200 },
  { title: 'patch self: add admin:read', caller: W, op: 'patch', target: 'self', body: { permissions: [...W, 'admin:read'] }, status: 403, message: grant('admin:read') },
  { title: 'patch self: raise limits', caller: W, op: 'patch', target: 'self', body: { max_tokens_per_month: null }, status: 200 },
  { title: 'patch weaker partner', caller: W, op: 'patch', target: ['messages:write'], body: { name: 'x', active: false }, status: 200 },
  { title: 'patch weaker partner, granting files:read', caller: W, op: 'patch', target: ['messages:write'], body: { permissions: ['files:read'] }, status: 403, message: grant('files:read') },
  { title: 'patch stronger partner', caller: W, op: 'patch', target: ['messages:write', 'files:read'], body: { name: 'x' }, status: 403, message: holds('files:read') },
  { title: 'patch stronger partner, lowering it', caller: W, op: 'patch', target: ['admin:read'], body: { permissions: ['messages:write'] }, status: 403, message: holds('admin:read') },
  { title: 'suspend stronger partner', caller: RW, op: 'patch', target: ['admin:read', 'admin:write', 'messages:write'], body: { active: false }, status: 403, message: holds('messages:write') },
  { title: 'rotate weaker partner', caller: W, op: 'rotate', target: ['messages:write'], status: 200 },
  { title: 'rotate itself', caller: W, op: 'rotate', target: 'self', status: 200 },
  { title: 'rotate stronger partner', caller: W, op: 'rotate', target: ['admin:read'], status: 403, message: holds('admin:read') },
  { title: 'delete equal partner', caller: RW, op: 'delete', target: RW, status: 204 },
  { title: 'delete stronger partner', caller: RW, op: 'delete', target: ['files:read'], status: 403, message: holds('files:read') },
  { title: 'admin:read only: create', caller: R, op: 'create', body: { permissions: ['admin:read'] }, status: 403, message: scope('admin:write') },
  { title: 'admin:read only: patch', caller: R, op: 'patch', target: ['admin:read'], body: { name: 'x' }, status: 403, message: scope('admin:write') },
  { title: 'admin:read only: rotate', caller: R, op: 'rotate', target: 'self', status: 403, message: scope('admin:write') },
  { title: 'admin:read only: delete', caller: R, op: 'delete', target: ['admin:read'], status: 403, message: scope('admin:write') },
  { title: 'admin key: patch the strongest', caller: 'admin', op: 'patch', target: ['admin:read', 'admin:write', 'files:write'], body: { permissions: ['messages:read'] }, status: 200 },
  { title: 'admin key: delete the strongest', caller: 'admin', op: 'delete', target: ['admin:read', 'admin:write'], status: 204 },
];

describe('non-escalation', () => {
  it.each(ROWS)('$title → $status', async (row) => {
    const caller = row.caller === 'admin' ? null : await createPartner(h, { name: 'caller', permissions: row.caller });
    const key = caller?.api_key ?? h.adminKey;
    const target =
      row.target === 'self' ? caller : row.target ? await createPartner(h, { name: 'target', permissions: row.target }) : null;
    const path = target ? `/v1/partners/${target.id}` : '/v1/partners';
    const answer =
      row.op === 'create'
        ? await h.call('POST', path, { key, body: { name: 'child', ...row.body } })
        : row.op === 'patch'
          ? await h.call('PATCH', path, { key, body: row.body })
          : row.op === 'rotate'
            ? await h.call('POST', `${path}/rotate`, { key })
            : await h.call('DELETE', path, { key });

    expect(answer.status).toBe(row.status);
    if (row.status !== 403) return;
    expect((answer.body as { error: unknown }).error).toEqual({
      type: 'permission_error',
      message: (row.message as string).replace('{target}', target?.id ?? ''),
    });
    // The target is untouched, and the refusal is on the caller's audit trail.
    if (target && target !== caller) expect((await auditOf(h, target.id)).map((e) => e.action)).toEqual(['partner.created']);
    const [denied] = await auditOf(h, (caller as { id: string }).id, '&action=partner.permission_denied');
    expect(denied).toMatchObject({ actor: { type: 'partner', id: caller?.id }, details: { method: row.op === 'create' || row.op === 'rotate' ? 'POST' : row.op.toUpperCase() } });
  });

  it('judges the caller by its scopes at the time of the request', async () => {
    const caller = await createPartner(h, { permissions: W });
    const target = await createPartner(h, { permissions: ['files:read'] });
    expect((await h.call('DELETE', `/v1/partners/${target.id}`, { key: caller.api_key })).status).toBe(403);
    await h.call('PATCH', `/v1/partners/${caller.id}`, { body: { permissions: [...W, 'files:read'] } });
    expect((await h.call('DELETE', `/v1/partners/${target.id}`, { key: caller.api_key })).status).toBe(204);
  });
});

describe('non-escalation of limits', () => {
  const CAP = { max_tokens_per_month: 1000, requests_per_minute: 10, expires_at: '2026-07-01T00:00:00.000Z' };
  const capped = () => createPartner(h, { name: 'capped', permissions: W, ...CAP });
  const refused = (answer: { status: number; body: unknown }, message: string) => {
    expect(answer.status).toBe(403);
    expect((answer.body as { error: unknown }).error).toEqual({ type: 'permission_error', message });
  };

  it('cannot lift its own cap, rate limit or expiry, but may tighten them', async () => {
    const me = await capped();
    const patch = (body: Record<string, unknown>) => h.call('PATCH', `/v1/partners/${me.id}`, { key: me.api_key, body });
    refused(await patch({ max_tokens_per_month: null }), "max_tokens_per_month: cannot go beyond this key's limit of 1000 tokens");
    refused(await patch({ max_tokens_per_month: 1001 }), "max_tokens_per_month: cannot go beyond this key's limit of 1000 tokens");
    refused(await patch({ requests_per_minute: 100000 }), "requests_per_minute: cannot go beyond this key's limit of 10 requests per minute");
    refused(await patch({ expires_at: null }), "expires_at: cannot go beyond this key's expiry (2026-07-01T00:00:00.000Z)");
    refused(await patch({ expires_at: '2026-07-01T00:00:01Z' }), "expires_at: cannot go beyond this key's expiry (2026-07-01T00:00:00.000Z)");
    const tightened = await patch({ max_tokens_per_month: 500, requests_per_minute: 5, expires_at: '2026-06-30T00:00:00Z' });
    expect(tightened.status).toBe(200);
    expect(tightened.body).toMatchObject({ max_tokens_per_month: 500, requests_per_minute: 5, expires_at: '2026-06-30T00:00:00.000Z' });
    const [denied] = await auditOf(h, me.id, '&action=partner.permission_denied');
    expect(denied?.details).toMatchObject({ exceeds_own: 'expires_at', target_partner_id: me.id });
  });

  it('cannot mint a child with looser limits than its own', async () => {
    const me = await capped();
    const create = (extra: Record<string, unknown>) =>
      h.call('POST', '/v1/partners', { key: me.api_key, body: { name: 'child', permissions: ['messages:write'], ...extra } });
    refused(await create({}), "max_tokens_per_month: cannot go beyond this key's limit of 1000 tokens");
    refused(await create({ ...CAP, requests_per_minute: null }), "requests_per_minute: cannot go beyond this key's limit of 10 requests per minute");
    expect((await create(CAP)).status).toBe(201);
  });

  it('cannot change a partner whose limits go beyond its own', async () => {
    const me = await capped();
    const loose = await createPartner(h, { name: 'loose', permissions: ['messages:write'] });
    refused(
      await h.call('PATCH', `/v1/partners/${loose.id}`, { key: me.api_key, body: { name: 'renamed' } }),
      `cannot change ${loose.id}: its max_tokens_per_month goes beyond this key's limit of 1000 tokens`,
    );
    refused(
      await h.call('POST', `/v1/partners/${loose.id}/rotate`, { key: me.api_key }),
      `cannot change ${loose.id}: its max_tokens_per_month goes beyond this key's limit of 1000 tokens`,
    );
    expect((await auditOf(h, loose.id)).map((e) => e.action)).toEqual(['partner.created']);
  });
});
