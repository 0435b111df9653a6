/**
 * Malformed requests across every management endpoint, each with its exact status, error type
 * and message. `{id}` in a path is a live partner's ID. Markup, SQL and unicode are accepted
 * verbatim where valid, returned intact, and leave the database whole.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type Partner } from '../../shared/api';
import { expectError, startHarness, type CallInit, type Harness } from '../test-support/harness';
import { createPartner } from '../test-support/partners';

let h: Harness;
let id: string;
beforeAll(async () => {
  h = await startHarness(); // the harness clock says 2026-06-15T12:00:00Z
  id = (await createPartner(h, { name: 'target' })).id;
});
afterAll(() => h.stop());

type Row = [title: string, method: string, path: string, init: CallInit, status: number, type: string, message: string];

const INVALID = 'invalid_request_error';
const NOT_FOUND = 'not_found_error';
const GRACE = 'grace_period_seconds: expected an integer from 0 to 604800';
const LIMIT = 'limit: expected an integer from 1 to 1000';
const EXPIRY = 'expires_at: expected an RFC 3339 date-time such as 2027-01-31T23:59:59Z, or null';
const INSTANT = 'expected an RFC 3339 date-time such as 2027-01-31T23:59:59Z';
const BIG = 'x'.repeat(65 * 1024);
const json = (body: unknown): CallInit => ({ body });

const ROWS: Row[] = [
  // PATCH /v1/partners/{id}
  ['patch: bad JSON', 'PATCH', '/v1/partners/{id}', { raw: '{"name":' }, 400, INVALID, 'body: not valid JSON'],
  ['patch: empty body', 'PATCH', '/v1/partners/{id}', { raw: '' }, 400, INVALID, 'body: expected a JSON object, got an empty body'],
  ['patch: no content type', 'PATCH', '/v1/partners/{id}', { raw: '{"name":"x"}', headers: { 'content-type': 'text/plain' } }, 400, INVALID, 'content-type: expected application/json'],
  ['patch: array body', 'PATCH', '/v1/partners/{id}', json([{ name: 'x' }]), 400, INVALID, 'body: expected a JSON object'],
  ['patch: empty object', 'PATCH', '/v1/partners/{id}', json({}), 400, INVALID, 'body: expected at least one of name, description, permissions, max_tokens_per_month, requests_per_minute, expires_at, active'],
  ['patch: unknown field', 'PATCH', '/v1/partners/{id}', json({ name: 'x', api_key: 'sk' }), 400, INVALID, 'api_key: unknown field'],
  ['patch: name as number', 'PATCH', '/v1/partners/{id}', json({ name: 7 }), 400, INVALID, 'name: expected a string'],
  ['patch: name of spaces', 'PATCH', '/v1/partners/{id}', json({ name: '   ' }), 400, INVALID, 'name: must not be empty'],
  ['patch: active as string', 'PATCH', '/v1/partners/{id}', json({ active: 'true' }), 400, INVALID, 'active: expected true or false'],
  ['patch: active as 1', 'PATCH', '/v1/partners/{id}', json({ active: 1 }), 400, INVALID, 'active: expected true or false'],
  ['patch: unknown scope', 'PATCH', '/v1/partners/{id}', json({ permissions: ['admin:*'] }), 400, INVALID, 'permissions[0]: unknown scope; expected one of messages:read, messages:write, files:read, files:write, admin:read, admin:write'],
  ['patch: negative limit', 'PATCH', '/v1/partners/{id}', json({ max_tokens_per_month: -1 }), 400, INVALID, 'max_tokens_per_month: expected an integer from 1 to 1000000000000, or null'],
  ['patch: fractional rpm', 'PATCH', '/v1/partners/{id}', json({ requests_per_minute: 0.5 }), 400, INVALID, 'requests_per_minute: expected an integer from 1 to 100000, or null'],
  ['patch: expiry 2027-02-30', 'PATCH', '/v1/partners/{id}', json({ expires_at: '2027-02-30T00:00:00Z' }), 400, INVALID, EXPIRY],
  ['patch: expiry without offset', 'PATCH', '/v1/partners/{id}', json({ expires_at: '2027-01-01T00:00:00' }), 400, INVALID, EXPIRY],
  ['patch: expiry month 13', 'PATCH', '/v1/partners/{id}', json({ expires_at: '2027-13-01T00:00:00Z' }), 400, INVALID, EXPIRY],
  ['patch: expiry in the past', 'PATCH', '/v1/partners/{id}', json({ expires_at: '2025-12-31T23:59:59Z' }), 400, INVALID, 'expires_at: must be in the future'],
  ['patch: 65 KB body', 'PATCH', '/v1/partners/{id}', json({ description: BIG }), 413, 'request_too_large', 'request body exceeds 65536 bytes'],
  ['patch: query parameter', 'PATCH', '/v1/partners/{id}?force=1', json({ name: 'x' }), 400, INVALID, 'force: unknown query parameter'],
  ['patch: wrong-case prefix', 'PATCH', '/v1/partners/PARTNER_000000000000000000000000', json({ name: 'x' }), 404, NOT_FOUND, 'partner not found'],
  ['patch: SQL as id', 'PATCH', `/v1/partners/${encodeURIComponent("1' OR '1'='1")}`, json({ name: 'x' }), 404, NOT_FOUND, 'partner not found'],
  ['patch: no key', 'PATCH', '/v1/partners/{id}', { key: null, body: { name: 'x' } }, 401, 'authentication_error', 'x-api-key header is required'],
  ['patch: bad version', 'PATCH', '/v1/partners/{id}', { body: { name: 'x' }, headers: { 'anthropic-version': '2023-6-1' } }, 400, INVALID, 'anthropic-version: expected a date such as 2023-06-01'],
  // DELETE /v1/partners/{id}
  ['delete: JSON body', 'DELETE', '/v1/partners/{id}', json({ confirm: true }), 400, INVALID, 'body: DELETE takes no body'],
  ['delete: bad JSON body', 'DELETE', '/v1/partners/{id}', { raw: '{' }, 400, INVALID, 'body: not valid JSON'],
  ['delete: 65 KB body', 'DELETE', '/v1/partners/{id}', { raw: JSON.stringify({ x: BIG }) }, 413, 'request_too_large', 'request body exceeds 65536 bytes'],
  ['delete: query parameter', 'DELETE', '/v1/partners/{id}?hard=true', {}, 400, INVALID, 'hard: unknown query parameter'],
  ['delete: unknown id', 'DELETE', '/v1/partners/partner_000000000000000000000000', {}, 404, NOT_FOUND, 'partner not found'],
  ['delete: id with trailing slash', 'DELETE', '/v1/partners/{id}x', {}, 404, NOT_FOUND, 'partner not found'],
  ['delete: missing version', 'DELETE', '/v1/partners/{id}', { headers: { 'anthropic-version': null } }, 400, INVALID, 'anthropic-version: header is required'],
  ['delete: garbage key', 'DELETE', '/v1/partners/{id}', { key: "' OR 1=1 --" }, 401, 'authentication_error', 'invalid x-api-key'],
  // POST /v1/partners/{id}/rotate
  ['rotate: grace -1', 'POST', '/v1/partners/{id}/rotate', json({ grace_period_seconds: -1 }), 400, INVALID, GRACE],
  ['rotate: grace 604801', 'POST', '/v1/partners/{id}/rotate', json({ grace_period_seconds: 604_801 }), 400, INVALID, GRACE],
  ['rotate: grace 1.5', 'POST', '/v1/partners/{id}/rotate', json({ grace_period_seconds: 1.5 }), 400, INVALID, GRACE],
  ['rotate: grace "10"', 'POST', '/v1/partners/{id}/rotate', json({ grace_period_seconds: '10' }), 400, INVALID, GRACE],
  ['rotate: grace 1e308', 'POST', '/v1/partners/{id}/rotate', { raw: '{"grace_period_seconds":1e308}' }, 400, INVALID, GRACE],
  ['rotate: unknown field', 'POST', '/v1/partners/{id}/rotate', json({ grace_period: 10 }), 400, INVALID, 'grace_period: unknown field'],
  ['rotate: array body', 'POST', '/v1/partners/{id}/rotate', json([]), 400, INVALID, 'body: expected a JSON object'],
  ['rotate: null body', 'POST', '/v1/partners/{id}/rotate', json(null), 400, INVALID, 'body: expected a JSON object'],
  ['rotate: text body', 'POST', '/v1/partners/{id}/rotate', { raw: 'grace=10', headers: { 'content-type': 'text/plain' } }, 400, INVALID, 'content-type: expected application/json'],
  ['rotate: 65 KB body', 'POST', '/v1/partners/{id}/rotate', { raw: JSON.stringify({ grace_period_seconds: 1, pad: BIG }) }, 413, 'request_too_large', 'request body exceeds 65536 bytes'],
  ['rotate: unknown id', 'POST', '/v1/partners/partner_000000000000000000000000/rotate', {}, 404, NOT_FOUND, 'partner not found'],
  ['rotate: GET instead of POST', 'GET', '/v1/partners/{id}/rotate', {}, 404, NOT_FOUND, 'no route for GET /v1/partners/{id}/rotate'],
  // GET /v1/partners and /v1/partners/{id}
  ['list: limit 0', 'GET', '/v1/partners?limit=0', {}, 400, INVALID, LIMIT],
  ['list: limit 1e3', 'GET', '/v1/partners?limit=1e3', {}, 400, INVALID, LIMIT],
  ['list: limit 99999', 'GET', '/v1/partners?limit=99999', {}, 400, INVALID, LIMIT],
  ['get: unicode id', 'GET', `/v1/partners/${encodeURIComponent('partner_ünïcødé')}`, {}, 404, NOT_FOUND, 'partner not found'],
  ['create: grace field on create', 'POST', '/v1/partners', json({ name: 'x', permissions: ['files:read'], grace_period_seconds: 5 }), 400, INVALID, 'grace_period_seconds: unknown field'],
  ['create: active on create', 'POST', '/v1/partners', json({ name: 'x', permissions: ['files:read'], active: false }), 400, INVALID, 'active: unknown field'],
  // GET /v1/audit-logs
  ['audit: limit -1', 'GET', '/v1/audit-logs?limit=-1', {}, 400, INVALID, LIMIT],
  ['audit: limit 1.5', 'GET', '/v1/audit-logs?limit=1.5', {}, 400, INVALID, LIMIT],
  ['audit: limit 1001', 'GET', '/v1/audit-logs?limit=1001', {}, 400, INVALID, LIMIT],
  ['audit: unknown action', 'GET', '/v1/audit-logs?action=partner.hacked', {}, 400, INVALID, `action: unknown action; expected one of ${AUDIT_ACTIONS.join(', ')}`],
  ['audit: repeated action', 'GET', '/v1/audit-logs?action=partner.created&action=partner.deleted', {}, 400, INVALID, `action: unknown action; expected one of ${AUDIT_ACTIONS.join(', ')}`],
  ['audit: since 2027-02-30', 'GET', '/v1/audit-logs?since=2027-02-30T00:00:00Z', {}, 400, INVALID, `since: ${INSTANT}`],
  ['audit: since without offset', 'GET', '/v1/audit-logs?since=2027-01-01T00:00:00', {}, 400, INVALID, `since: ${INSTANT}`],
  ['audit: until month 13', 'GET', '/v1/audit-logs?until=2027-13-01T00:00:00Z', {}, 400, INVALID, `until: ${INSTANT}`],
  ['audit: until as epoch', 'GET', '/v1/audit-logs?until=1893456000', {}, 400, INVALID, `until: ${INSTANT}`],
  ['audit: since after until', 'GET', '/v1/audit-logs?since=2027-01-02T00:00:00Z&until=2027-01-01T00:00:00Z', {}, 400, INVALID, 'since: must not be later than until'],
  ['audit: malformed partner_id', 'GET', '/v1/audit-logs?partner_id=partner_%27%3B%20DROP', {}, 400, INVALID, 'partner_id: expected a partner ID such as partner_…'],
  ['audit: both cursors', 'GET', '/v1/audit-logs?after_id=a&before_id=b', {}, 400, INVALID, 'before_id: give after_id or before_id, not both'],
  ['audit: unknown before_id', 'GET', '/v1/audit-logs?before_id=audit_zzz', {}, 400, INVALID, 'before_id: no audit log entry with this ID'],
  ['audit: unknown parameter', 'GET', '/v1/audit-logs?order=asc', {}, 400, INVALID, 'order: unknown query parameter'],
  ['audit: no key', 'GET', '/v1/audit-logs', { key: null }, 401, 'authentication_error', 'x-api-key header is required'],
  ['audit: POST', 'POST', '/v1/audit-logs', json({}), 404, NOT_FOUND, 'no route for POST /v1/audit-logs'],
];

describe('bad input', () => {
  it(`has at least 40 rows (${ROWS.length})`, () => expect(ROWS.length).toBeGreaterThanOrEqual(40));

  it.each(ROWS)('%s', async (_title, method, path, init, status, type, message) => {
    const answer = await h.call(method, path.replace('{id}', id), init);
    expectError(answer, status, type, message.replace('{id}', id));
  });

  it('left the target partner untouched', async () => {
    const got = await h.call('GET', `/v1/partners/${id}`);
    expect(got.body).toMatchObject({ name: 'target', permissions: ['messages:write'], active: true });
  });
});

describe('markup, SQL and unicode are data', () => {
  const VALUES = [
    "Robert'); DROP TABLE partners;--",
    '<img src=x onerror=alert(1)>',
    '"; DELETE FROM audit_logs WHERE "1"="1',
    'ünï😀 名前 שלום rtl',
    '%00 %s %n {{7*7}} ${7*7}',
  ];

  it('accepts them verbatim in PATCH and returns them intact, with the database whole', async () => {
    for (const value of VALUES) {
      const a = await h.call('PATCH', `/v1/partners/${id}`, { body: { name: value, description: `${value}\n${value}` } });
      expect(a.status).toBe(200);
      expect((a.body as Partner).name).toBe(value);
      const got = (await h.call('GET', `/v1/partners/${id}`)).body as Partner;
      expect([got.name, got.description]).toEqual([value, `${value}\n${value}`]);
      const [entry] = ((await h.call('GET', `/v1/audit-logs?partner_id=${id}&limit=1`)).body as { data: { partner_name: string }[] }).data;
      expect(entry?.partner_name).toBe(value);
    }
    const db = new Database(join(h.dataDir, 'partners.db'), { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    const counts = db.prepare('SELECT (SELECT COUNT(*) FROM partners) AS partners, (SELECT COUNT(*) FROM audit_logs) AS audit').get();
    db.close();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['admin_keys', 'audit_logs', 'partner_keys', 'partners']));
    // Nothing in the bad-input table wrote anything: one partner, its creation and these updates.
    expect(counts).toEqual({ partners: 1, audit: 1 + VALUES.length });
  });
});
