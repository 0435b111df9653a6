/**
 * Deterministic fuzzing of the management API: a seeded PRNG builds a few thousand JSON-ish
 * bodies and query strings from the real field names, edge numbers, deep nesting, long and
 * unicode strings. Every answer must be a documented status (never a 500), every failure the
 * error shape, and the server must still be up at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ERROR_STATUS, type ApiErrorBody } from '../../shared/api';
import { REQUEST_ID, startHarness, type Answer, type CallInit, type Harness } from '../test-support/harness';
import { createPartner } from '../test-support/partners';

const SEED = 0x5e641d4e;
const ROUNDS = 2500;
const ALLOWED = new Set([200, 201, 204, 400, 404, 413]);

/** mulberry32: tiny, fast, and the same sequence for the same seed on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const chance = (p: number) => rand() < p;

const FIELDS = ['name', 'description', 'permissions', 'max_tokens_per_month', 'requests_per_minute', 'expires_at', 'active', 'grace_period_seconds'];
const QUERY_PARAMS = ['limit', 'after_id', 'before_id', 'partner_id', 'action', 'since', 'until'];
const NUMBERS = [0, -0, 1, -1, 0.5, 1.5, 59, 60, 604_800, 604_801, 100_000, 100_001, 2 ** 31, 2 ** 53, -(2 ** 53), 1e12, 1e12 + 1, 1e308, Number.MIN_VALUE];
const STRINGS = [
  '', ' ', 'ok', 'messages:write', 'admin:write', 'Admin:Read', 'partner.created', 'partner_000000000000000000000000',
  '2027-01-31T23:59:59Z', '2027-02-30T00:00:00Z', '2027-13-01T00:00:00Z', '2027-01-01T00:00:00', '2026-06-15T12:00:00+14:00',
  "'; DROP TABLE partners; --", '<script>alert(1)</script>', 'ünï😀名前', '\u0000\u0007', '\ud800', '\u202e', '%00%ff', '__proto__', 'constructor',
];

function randomString(): string {
  if (chance(0.6)) return pick(STRINGS);
  if (chance(0.3)) return pick(['x', '😀', 'é', '\u4e2d', ' ', '\n']).repeat(1 + Math.floor(rand() * (chance(0.1) ? 5000 : 120)));
  return Array.from({ length: Math.floor(rand() * 20) }, () => String.fromCharCode(Math.floor(rand() * 0x2fff))).join('');
}

function randomValue(depth: number): unknown {
  const kind = Math.floor(rand() * (depth > 3 ? 5 : 7));
  switch (kind) {
    case 0: return null;
    case 1: return chance(0.5);
    case 2: return pick(NUMBERS) * (chance(0.1) ? -1 : 1);
    case 3:
    case 4: return randomString();
    case 5: return Array.from({ length: Math.floor(rand() * 4) }, () => (chance(0.5) ? pick(['messages:read', 'messages:write', 'files:read', 'files:write', 'admin:read', 'admin:write', 'admin:*']) : randomValue(depth + 1)));
    default: return randomObject(depth + 1);
  }
}

function randomObject(depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const size = Math.floor(rand() * 5);
  for (let i = 0; i < size; i++) out[chance(0.85) ? pick(FIELDS) : randomString().slice(0, 30)] = randomValue(depth);
  return out;
}

function randomBody(): CallInit {
  const roll = rand();
  if (roll < 0.05) return {};
  if (roll < 0.1) return { raw: pick(['', '{', '[1,', '{"name":"x",}', 'null', 'true', '"str"', '{"a":1}{"b":2}', 'NaN', '\ufeff{}']) };
  if (roll < 0.13) return { raw: JSON.stringify({ name: 'x', description: 'd'.repeat(70_000) }) };
  if (roll < 0.16) return { body: randomValue(0) };
  const body = randomObject(0);
  // Often start from a valid create body, so deeper validation and success paths run too.
  if (chance(0.4)) Object.assign(body, { name: 'fuzz', permissions: ['messages:write'] }, chance(0.5) ? randomObject(1) : {});
  return { body };
}

/** URL-encodes any string, lone surrogates included (encodeURIComponent throws on those). */
const enc = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

function randomQuery(): string {
  const parts: string[] = [];
  const count = Math.floor(rand() * 4);
  for (let i = 0; i < count; i++) {
    const name = chance(0.85) ? pick(QUERY_PARAMS) : enc(randomString().slice(0, 10));
    const value = chance(0.5) ? String(pick(NUMBERS)) : randomString().slice(0, 60);
    parts.push(`${name}=${enc(value)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

let h: Harness;
const ids: string[] = [];
beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < 3; i++) ids.push((await createPartner(h, { name: `seed ${i}` })).id);
});
afterAll(() => h.stop());

function check(answer: Answer, label: string): void {
  expect(ALLOWED.has(answer.status), `${label} → ${answer.status} ${answer.text.slice(0, 200)}`).toBe(true);
  if (answer.status < 400) return;
  const body = answer.body as ApiErrorBody;
  expect(body?.type, label).toBe('error');
  expect(API_ERROR_STATUS[body.error.type], label).toBe(answer.status);
  expect(typeof body.error.message, label).toBe('string');
  expect(body.request_id, label).toMatch(REQUEST_ID);
  expect(Object.keys(body), label).toEqual(['type', 'error', 'request_id']);
}

describe('fuzz', () => {
  it(`survives ${ROUNDS} random requests without a 500`, async () => {
    const statuses = new Map<number, number>();
    const BATCH = 8;
    for (let round = 0; round < ROUNDS; round += BATCH) {
      const requests = Array.from({ length: BATCH }, () => {
        const id = chance(0.85) ? pick(ids) : pick(['partner_ÿ', 'PARTNER_x', randomString().slice(0, 40) || 'x']);
        const target = pick(['create', 'patch', 'rotate', 'list', 'audit'] as const);
        const path = { create: '/v1/partners', patch: `/v1/partners/${enc(id)}`, rotate: `/v1/partners/${enc(id)}/rotate`, list: `/v1/partners${randomQuery()}`, audit: `/v1/audit-logs${randomQuery()}` }[target];
        const method = { create: 'POST', patch: 'PATCH', rotate: 'POST', list: 'GET', audit: 'GET' }[target];
        const init = method === 'GET' ? {} : randomBody();
        return { label: `${method} ${path.slice(0, 120)} ${JSON.stringify(init).slice(0, 120)}`, call: h.call(method, path, init) };
      });
      for (const { label, call } of requests) {
        const answer = await call;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        check(answer, label);
      }
    }
    // The run must exercise successes and failures alike, or it proves little.
    for (const status of [200, 201, 400, 404, 413]) expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
    expect((await h.call('GET', '/v1/partners?limit=1')).status).toBe(200);
    expect(h.logs.some((line) => line.includes('"event":"error"'))).toBe(false);
  }, 60_000);
});
