/** GET /v1/audit-logs: exact entries, filters (partner, action, since/until with offsets), pagination. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditLog, type CreatedPartner, type Page } from '../../shared/api';
import { expectError, startHarness, type Harness } from '../test-support/harness';
import { createPartner } from '../test-support/partners';

let h: Harness;
let a: CreatedPartner;
let b: CreatedPartner;
const ids: string[] = []; // every entry, oldest first

const list = async (query: string) => {
  const answer = await h.call('GET', `/v1/audit-logs${query}`);
  expect(answer.status).toBe(200);
  return answer.body as Page<AuditLog>;
};

beforeAll(async () => {
  h = await startHarness();
  // Five entries at known instants: created a, created b, updated a, rotated b, deleted a.
  const steps: [string, () => Promise<unknown>][] = [
    ['2026-06-15T10:00:00.000Z', async () => (a = await createPartner(h, { name: 'A' }))],
    ['2026-06-15T11:00:00.000Z', async () => (b = await createPartner(h, { name: 'B' }))],
    ['2026-06-15T12:00:00.000Z', () => h.call('PATCH', `/v1/partners/${a.id}`, { body: { name: 'A2' } })],
    ['2026-06-15T13:00:00.000Z', () => h.call('POST', `/v1/partners/${b.id}/rotate`)],
    ['2026-06-15T14:00:00.000Z', () => h.call('DELETE', `/v1/partners/${a.id}`)],
  ];
  for (const [time, step] of steps) {
    h.now.value = new Date(time);
    await step();
  }
  ids.push(...(await list('')).data.map((e) => e.id).reverse());
});
afterAll(() => h.stop());

describe('GET /v1/audit-logs', () => {
  it('returns exact entries, newest first', async () => {
    const page = await list('');
    expect(page.data.map((e) => e.action)).toEqual(['partner.deleted', 'partner.key_rotated', 'partner.updated', 'partner.created', 'partner.created']);
    expect(Object.keys(page)).toEqual(['data', 'has_more', 'first_id', 'last_id']);
    const created = page.data[4] as AuditLog;
    expect(Object.keys(created)).toEqual(['type', 'id', 'timestamp', 'action', 'partner_id', 'partner_name', 'actor', 'request_id', 'details']);
    expect(created.id).toMatch(/^audit_[0-9A-Za-z]{24}$/);
    expect(created.request_id).toMatch(/^req_[0-9A-Za-z]{24}$/);
    expect(created).toEqual({
      type: 'audit_log', id: created.id, timestamp: '2026-06-15T10:00:00.000Z', action: 'partner.created',
      partner_id: a.id, partner_name: 'A', actor: { type: 'admin_key', id: expect.stringMatching(/^adminkey_/), name: 'generated at first start' },
      request_id: created.request_id,
      details: {
        name: 'A', description: null, permissions: ['messages:write'], max_tokens_per_month: null, requests_per_minute: null,
        expires_at: null, active: true, key_created_at: '2026-06-15T10:00:00.000Z', last_used_at: null,
        created_at: '2026-06-15T10:00:00.000Z', updated_at: '2026-06-15T10:00:00.000Z',
      },
    });
    expect(page.data[0]).toMatchObject({ partner_id: a.id, partner_name: 'A2', timestamp: '2026-06-15T14:00:00.000Z', details: {} });
    expect(page).toMatchObject({ has_more: false, first_id: ids[4], last_id: ids[0] });
  });

  it('filters by partner (deleted ones included) and by action', async () => {
    expect((await list(`?partner_id=${a.id}`)).data.map((e) => e.action)).toEqual(['partner.deleted', 'partner.updated', 'partner.created']);
    expect((await list(`?partner_id=${b.id}&action=partner.key_rotated`)).data.map((e) => e.id)).toEqual([ids[3]]);
    expect((await list('?action=partner.created')).data.map((e) => e.partner_id)).toEqual([b.id, a.id]);
    expect((await list('?partner_id=partner_000000000000000000000000')).data).toEqual([]);
    expect((await list('?action=partner.usage_limit_reached')).data).toEqual([]);
  });

  it('takes since inclusive and until exclusive, with any offset', async () => {
    const span = async (q: string) => (await list(q)).data.map((e) => e.timestamp);
    expect(await span('?since=2026-06-15T11:00:00Z&until=2026-06-15T13:00:00Z')).toEqual(['2026-06-15T12:00:00.000Z', '2026-06-15T11:00:00.000Z']);
    expect(await span(`?since=${encodeURIComponent('2026-06-15T14:00:00+02:00')}`)).toEqual(['2026-06-15T14:00:00.000Z', '2026-06-15T13:00:00.000Z', '2026-06-15T12:00:00.000Z']);
    expect(await span('?until=2026-06-15T06:00:00-05:00')).toEqual(['2026-06-15T10:00:00.000Z']);
    expect(await span('?until=2026-06-15T05:00:00-05:00')).toEqual([]);
    expect(await span('?since=2026-06-15T12:00:00Z&until=2026-06-15T12:00:00Z')).toEqual([]);
    expect(await span('?since=2026-06-15T12:00:00.001Z&until=2026-06-15T13:00:00.001Z')).toEqual(['2026-06-15T13:00:00.000Z']);
  });

  it('pages both ways with exact cursors, filters applied', async () => {
    const shape = (p: Page<AuditLog>) => ({ ids: p.data.map((e) => e.id), has_more: p.has_more, first_id: p.first_id, last_id: p.last_id });
    const newest = [...ids].reverse();
    const p1 = await list('?limit=2');
    expect(shape(p1)).toEqual({ ids: newest.slice(0, 2), has_more: true, first_id: newest[0], last_id: newest[1] });
    const p2 = await list(`?limit=2&after_id=${p1.last_id}`);
    expect(shape(p2)).toEqual({ ids: newest.slice(2, 4), has_more: true, first_id: newest[2], last_id: newest[3] });
    const p3 = await list(`?limit=2&after_id=${p2.last_id}`);
    expect(shape(p3)).toEqual({ ids: newest.slice(4), has_more: false, first_id: newest[4], last_id: newest[4] });
    const back = await list(`?limit=2&before_id=${p3.first_id}`);
    expect(shape(back)).toEqual({ ids: newest.slice(2, 4), has_more: true, first_id: newest[2], last_id: newest[3] });
    const top = await list(`?limit=2&before_id=${newest[2]}`);
    expect(shape(top)).toEqual({ ids: newest.slice(0, 2), has_more: false, first_id: newest[0], last_id: newest[1] });
    const filtered = await list(`?partner_id=${a.id}&limit=1&after_id=${newest[0]}`);
    expect(shape(filtered)).toEqual({ ids: [ids[2]], has_more: true, first_id: ids[2], last_id: ids[2] });
  });

  it('refuses bad filters, naming the parameter', async () => {
    const bad = async (query: string, message: string) =>
      expectError(await h.call('GET', `/v1/audit-logs${query}`), 400, 'invalid_request_error', message);
    await bad('?action=partner.exploded', `action: unknown action; expected one of ${AUDIT_ACTIONS.join(', ')}`);
    await bad('?action=Partner.Created', `action: unknown action; expected one of ${AUDIT_ACTIONS.join(', ')}`);
    await bad('?since=2027-02-30T00:00:00Z', 'since: expected an RFC 3339 date-time such as 2027-01-31T23:59:59Z');
    await bad('?until=2026-06-15', 'until: expected an RFC 3339 date-time such as 2027-01-31T23:59:59Z');
    await bad('?since=2026-06-15T13:00:00Z&until=2026-06-15T12:00:00Z', 'since: must not be later than until');
    await bad('?partner_id=Partner_000000000000000000000000', 'partner_id: expected a partner ID such as partner_…');
    await bad('?after_id=audit_000000000000000000000000', 'after_id: no audit log entry with this ID');
    await bad('?actor=x', 'actor: unknown query parameter');
  });

  it('is readable with admin:read only', async () => {
    const reader = await createPartner(h, { permissions: ['admin:read'] });
    expect((await h.call('GET', '/v1/audit-logs?limit=1', { key: reader.api_key })).status).toBe(200);
    const writer = await createPartner(h, { permissions: ['admin:write'] });
    expectError(await h.call('GET', '/v1/audit-logs', { key: writer.api_key }), 403, 'permission_error', 'this key does not hold the admin:read scope');
  });
});
