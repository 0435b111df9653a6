/** Bad input for the three endpoints: exact status, error type and message (naming the field). */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectError, startHarness, type CallInit, type Harness } from '../test-support/harness';

let h: Harness;
let existingId: string;
beforeAll(async () => {
  h = await startHarness(); // the harness clock says 2026-06-15T12:00:00Z
  const a = await h.call('POST', '/v1/partners', { body: { name: 'exists', permissions: ['files:read'] } });
  existingId = (a.body as { id: string }).id;
});
afterAll(() => h.stop());

type Case = [title: string, method: string, path: string, init: CallInit, status: number, type: string, message: string];

const ok = { name: 'ok', permissions: ['messages:write'] };
const post = (body: unknown): CallInit => ({ body });
const BAD_SCOPE = 'unknown scope; expected one of messages:read, messages:write, files:read, files:write, admin:read, admin:write';
const LIMIT = 'limit: expected an integer from 1 to 1000';
const EXPIRY = 'expires_at: expected an RFC 3339 date-time such as 2027-01-31T23:59:59Z, or null';
const TOKENS = 'max_tokens_per_month: expected an integer from 1 to 1000000000000, or null';
const RPM = 'requests_per_minute: expected an integer from 1 to 100000, or null';
const INVALID = 'invalid_request_error';

const POST_CASES: Case[] = [
  ['bad JSON', 'POST', '/v1/partners', { raw: '{"name": "x",' }, 400, INVALID, 'body: not valid JSON'],
  ['empty JSON body', 'POST', '/v1/partners', { raw: '' , headers: { 'content-type': 'application/json' } }, 400, INVALID, 'body: expected a JSON object, got an empty body'],
  ['__proto__ key', 'POST', '/v1/partners', { raw: '{"__proto__":{"x":1},"name":"a","permissions":["files:read"]}' }, 400, INVALID, 'body: not valid JSON'],
  ['array body', 'POST', '/v1/partners', post([ok]), 400, INVALID, 'body: expected a JSON object'],
  ['string body', 'POST', '/v1/partners', post('partner'), 400, INVALID, 'body: expected a JSON object'],
  ['null body', 'POST', '/v1/partners', post(null), 400, INVALID, 'body: expected a JSON object'],
  ['unknown field', 'POST', '/v1/partners', post({ ...ok, admin: true }), 400, INVALID, 'admin: unknown field'],
  // A key pasted where a field name goes is not echoed back.
  ['key as a field name', 'POST', '/v1/partners', post({ ...ok, [`sk-ant-partner-${'B'.repeat(43)}`]: true }), 400, INVALID, 'sk-ant-[redacted]: unknown field'],
  ['missing name', 'POST', '/v1/partners', post({ permissions: ['files:read'] }), 400, INVALID, 'name: is required'],
  ['name with spaces around it', 'POST', '/v1/partners', post({ name: '  spaced  ', permissions: ['files:read'] }), 400, INVALID, 'name: must not start or end with spaces'],
  ['name with a lone surrogate', 'POST', '/v1/partners', post({ name: 'a\ud800b', permissions: ['files:read'] }), 400, INVALID, 'name: must be valid Unicode text'],
  ['name with a right-to-left override', 'POST', '/v1/partners', post({ name: '\u202eevil', permissions: ['files:read'] }), 400, INVALID, 'name: must not contain bidirectional override characters'],
  ['description with a lone surrogate', 'POST', '/v1/partners', post({ name: 'x', description: '\udc00', permissions: ['files:read'] }), 400, INVALID, 'description: must be valid Unicode text'],
  ['name of wrong type', 'POST', '/v1/partners', post({ ...ok, name: 42 }), 400, INVALID, 'name: expected a string'],
  ['empty name', 'POST', '/v1/partners', post({ ...ok, name: '' }), 400, INVALID, 'name: must not be empty'],
  ['whitespace name', 'POST', '/v1/partners', post({ ...ok, name: ' \t ' }), 400, INVALID, 'name: must not be empty'],
  ['overlong name', 'POST', '/v1/partners', post({ ...ok, name: 'x'.repeat(101) }), 400, INVALID, 'name: must be at most 100 characters'],
  ['control character in name', 'POST', '/v1/partners', post({ ...ok, name: 'a\u0007b' }), 400, INVALID, 'name: must not contain control characters'],
  ['newline in name', 'POST', '/v1/partners', post({ ...ok, name: 'a\nb' }), 400, INVALID, 'name: must not contain control characters'],
  ['description of wrong type', 'POST', '/v1/partners', post({ ...ok, description: 5 }), 400, INVALID, 'description: expected a string or null'],
  ['overlong description', 'POST', '/v1/partners', post({ ...ok, description: 'd'.repeat(1001) }), 400, INVALID, 'description: must be at most 1000 characters'],
  ['missing permissions', 'POST', '/v1/partners', post({ name: 'x' }), 400, INVALID, 'permissions: is required'],
  ['permissions as a string', 'POST', '/v1/partners', post({ ...ok, permissions: 'admin:read' }), 400, INVALID, 'permissions: expected an array of scopes'],
  ['empty permissions', 'POST', '/v1/partners', post({ ...ok, permissions: [] }), 400, INVALID, 'permissions: must hold at least one scope'],
  ['unknown scope', 'POST', '/v1/partners', post({ ...ok, permissions: ['files:read', 'admin:everything'] }), 400, INVALID, `permissions[1]: ${BAD_SCOPE}`],
  ['wrong-case scope', 'POST', '/v1/partners', post({ ...ok, permissions: ['Admin:Read'] }), 400, INVALID, `permissions[0]: ${BAD_SCOPE}`],
  ['duplicate scope', 'POST', '/v1/partners', post({ ...ok, permissions: ['files:read', 'files:read'] }), 400, INVALID, 'permissions: must not list a scope twice'],
  ['zero token limit', 'POST', '/v1/partners', post({ ...ok, max_tokens_per_month: 0 }), 400, INVALID, TOKENS],
  ['negative token limit', 'POST', '/v1/partners', post({ ...ok, max_tokens_per_month: -5 }), 400, INVALID, TOKENS],
  ['fractional token limit', 'POST', '/v1/partners', post({ ...ok, max_tokens_per_month: 1.5 }), 400, INVALID, TOKENS],
  ['huge token limit', 'POST', '/v1/partners', post({ ...ok, max_tokens_per_month: 1e300 }), 400, INVALID, TOKENS],
  ['token limit as a string', 'POST', '/v1/partners', post({ ...ok, max_tokens_per_month: '1000' }), 400, INVALID, TOKENS],
  ['zero requests per minute', 'POST', '/v1/partners', post({ ...ok, requests_per_minute: 0 }), 400, INVALID, RPM],
  ['too many requests per minute', 'POST', '/v1/partners', post({ ...ok, requests_per_minute: 100_001 }), 400, INVALID, RPM],
  ['expiry in the past', 'POST', '/v1/partners', post({ ...ok, expires_at: '2026-06-15T11:59:59Z' }), 400, INVALID, 'expires_at: must be in the future'],
  ['expiry exactly now', 'POST', '/v1/partners', post({ ...ok, expires_at: '2026-06-15T12:00:00Z' }), 400, INVALID, 'expires_at: must be in the future'],
  ['impossible date', 'POST', '/v1/partners', post({ ...ok, expires_at: '2027-02-30T00:00:00Z' }), 400, INVALID, EXPIRY],
  ['date without time', 'POST', '/v1/partners', post({ ...ok, expires_at: '2027-01-01' }), 400, INVALID, EXPIRY],
  ['date without offset', 'POST', '/v1/partners', post({ ...ok, expires_at: '2027-01-01T00:00:00' }), 400, INVALID, EXPIRY],
  ['hour 24', 'POST', '/v1/partners', post({ ...ok, expires_at: '2027-01-01T24:00:00Z' }), 400, INVALID, EXPIRY],
  ['expiry as a number', 'POST', '/v1/partners', post({ ...ok, expires_at: 1893456000 }), 400, INVALID, EXPIRY],
  ['wrong content type', 'POST', '/v1/partners', { raw: JSON.stringify(ok), headers: { 'content-type': 'text/plain' } }, 400, INVALID, 'content-type: expected application/json'],
  ['form content type', 'POST', '/v1/partners', { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 400, INVALID, 'content-type: expected application/json'],
  ['no content type and no body', 'POST', '/v1/partners', {}, 400, INVALID, 'content-type: expected application/json'],
  ['65 KB body', 'POST', '/v1/partners', post({ ...ok, description: 'd'.repeat(65 * 1024) }), 413, 'request_too_large', 'request body exceeds 65536 bytes'],
  ['query parameter on create', 'POST', '/v1/partners?dry_run=1', post(ok), 400, INVALID, 'dry_run: unknown query parameter'],
];

const HEADER_CASES: Case[] = [
  ['missing version (POST)', 'POST', '/v1/partners', { body: ok, headers: { 'anthropic-version': null } }, 400, INVALID, 'anthropic-version: header is required'],
  ['missing version (list)', 'GET', '/v1/partners', { headers: { 'anthropic-version': null } }, 400, INVALID, 'anthropic-version: header is required'],
  ['missing version beats missing key', 'GET', '/v1/partners/x', { key: null, headers: { 'anthropic-version': null } }, 400, INVALID, 'anthropic-version: header is required'],
  ['malformed version', 'GET', '/v1/partners', { headers: { 'anthropic-version': 'latest' } }, 400, INVALID, 'anthropic-version: expected a date such as 2023-06-01'],
  ['version with time', 'GET', '/v1/partners', { headers: { 'anthropic-version': '2023-06-01T00:00' } }, 400, INVALID, 'anthropic-version: expected a date such as 2023-06-01'],
  ['missing key (POST)', 'POST', '/v1/partners', { key: null, body: ok }, 401, 'authentication_error', 'x-api-key header is required'],
  ['missing key (list)', 'GET', '/v1/partners', { key: null }, 401, 'authentication_error', 'x-api-key header is required'],
  ['missing key (get)', 'GET', '/v1/partners/partner_000000000000000000000000', { key: null }, 401, 'authentication_error', 'x-api-key header is required'],
  ['impossible version date', 'GET', '/v1/partners', { headers: { 'anthropic-version': '2023-13-45' } }, 400, INVALID, 'anthropic-version: expected a date such as 2023-06-01'],
  ['unknown admin key', 'GET', '/v1/partners', { key: `sk-ant-admin-${'A'.repeat(43)}` }, 401, 'authentication_error', 'invalid x-api-key'],
  ['unknown partner key', 'GET', '/v1/partners', { key: `sk-ant-partner-${'A'.repeat(43)}` }, 401, 'authentication_error', 'invalid x-api-key'],
  ['garbage key', 'GET', '/v1/partners', { key: 'hunter2' }, 401, 'authentication_error', 'invalid x-api-key'],
  ['bad key beats bad body', 'POST', '/v1/partners', { key: 'nope', raw: '{oops' }, 401, 'authentication_error', 'invalid x-api-key'],
];

const LIST_CASES: Case[] = [
  ['limit 0', 'GET', '/v1/partners?limit=0', {}, 400, INVALID, LIMIT],
  ['limit 1001', 'GET', '/v1/partners?limit=1001', {}, 400, INVALID, LIMIT],
  ['limit abc', 'GET', '/v1/partners?limit=abc', {}, 400, INVALID, LIMIT],
  ['negative limit', 'GET', '/v1/partners?limit=-1', {}, 400, INVALID, LIMIT],
  ['fractional limit', 'GET', '/v1/partners?limit=2.5', {}, 400, INVALID, LIMIT],
  ['empty limit', 'GET', '/v1/partners?limit=', {}, 400, INVALID, LIMIT],
  ['repeated limit', 'GET', '/v1/partners?limit=1&limit=2', {}, 400, INVALID, LIMIT],
  ['both cursors', 'GET', '/v1/partners?after_id=partner_000000000000000000000000&before_id=partner_000000000000000000000001', {}, 400, INVALID, 'before_id: give after_id or before_id, not both'],
  ['empty cursor', 'GET', '/v1/partners?after_id=', {}, 400, INVALID, 'after_id: expected an ID'],
  ['unknown after_id', 'GET', '/v1/partners?after_id=partner_000000000000000000000000', {}, 400, INVALID, 'after_id: no partner with this ID'],
  ['unknown before_id', 'GET', '/v1/partners?before_id=nonsense', {}, 400, INVALID, 'before_id: no partner with this ID'],
  ['unknown query parameter', 'GET', '/v1/partners?limit=5&order=asc', {}, 400, INVALID, 'order: unknown query parameter'],
  ['key as a query parameter', 'GET', `/v1/partners?sk-ant-admin-${'C'.repeat(43)}`, {}, 400, INVALID, 'sk-ant-[redacted]: unknown query parameter'],
];

const GET_CASES: Case[] = [
  ['malformed id', 'GET', '/v1/partners/123', {}, 404, 'not_found_error', 'partner not found'],
  ['id too short', 'GET', '/v1/partners/partner_abc', {}, 404, 'not_found_error', 'partner not found'],
  ['query parameter on get', 'GET', '/v1/partners/partner_000000000000000000000000?expand=key', {}, 400, INVALID, 'expand: unknown query parameter'],
  ['undecodable id', 'GET', '/v1/partners/%zz', {}, 400, INVALID, 'malformed URL'],
  ['overlong id', 'GET', `/v1/partners/partner_${'a'.repeat(500)}`, {}, 404, 'not_found_error', 'partner not found'],
  ['absurdly long id', 'GET', `/v1/partners/${'a'.repeat(2000)}`, {}, 404, 'not_found_error', 'not found'],
  ['SQL in id', 'GET', `/v1/partners/${encodeURIComponent("x' OR '1'='1")}`, {}, 404, 'not_found_error', 'partner not found'],
];

describe.each([
  ['POST /v1/partners', POST_CASES],
  ['headers and keys', HEADER_CASES],
  ['GET /v1/partners', LIST_CASES],
  ['GET /v1/partners/{id}', GET_CASES],
])('%s', (_group, cases) => {
  it.each(cases)('%s → %i', async (_title, method, path, init, status, type, message) => {
    expectError(await h.call(method, path, init), status, type, message);
  });
});

describe('exact id lookup', () => {
  it('answers 404 for a wrong-case prefix or id of an existing partner', async () => {
    const upperPrefix = `Partner_${existingId.slice('partner_'.length)}`;
    const swapped = `partner_${[...existingId.slice(8)].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('')}`;
    for (const id of [upperPrefix, swapped, `${existingId}x`, existingId.slice(0, -1)]) {
      expectError(await h.call('GET', `/v1/partners/${id}`), 404, 'not_found_error', 'partner not found');
    }
  });
});
