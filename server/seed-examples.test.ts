/**
 * The seed's Python `requests` examples, run unchanged (except base URL, keys, partner_id and a
 * past expiry date) by python3 against a real server with the sandbox upstream.
 * test/fixtures/seed-examples/ holds them; its shim/ stands in for `requests` where it is missing.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Partner } from '../shared/api';
import { expectError, startHarness, type Harness } from './test-support/harness';

const DIR = join(__dirname, '..', 'test', 'fixtures', 'seed-examples');
const SHIM = join(DIR, 'shim');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function python(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile('python3', args, { env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let h: Harness;
let baseEnv: Record<string, string>;
let usingShim = false;

async function example(file: string, extra: Record<string, string> = {}, forceShim = false): Promise<string> {
  const env = { ...baseEnv, ...extra, ...(usingShim || forceShim ? { PYTHONPATH: SHIM } : {}) };
  const run = await python([join(DIR, file)], env);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return run.stdout;
}

beforeAll(async () => {
  h = await startHarness({ upstream: 'sandbox' });
  // What the seed reads: the owner's key in ANTHROPIC_API_KEY (here: this server's admin key).
  baseEnv = { ANTHROPIC_API_KEY: h.adminKey, BASE_URL: `${h.server.url}/v1` };
  usingShim = (await python(['-c', 'import requests'], {})).code !== 0;
});
afterAll(() => h.stop());

describe('the seed examples', () => {
  let partnerId = '';
  let partnerKey = '';

  it('step 1 creates a partner and prints its id and key', async () => {
    const out = await example('01_create_partner.py');
    const m = /^Partner created: (partner_[0-9A-Za-z]{24})\nAPI Key for partner: (sk-ant-partner-[0-9A-Za-z]{43})\n$/.exec(out);
    expect(m, out).not.toBeNull();
    [, partnerId = '', partnerKey = ''] = m ?? [];
    const got = (await h.call('GET', `/v1/partners/${partnerId}`)).body as Partner;
    expect(got).toMatchObject({
      name: 'My Analytics Dashboard', description: 'Internal dashboard for monitoring Claude usage',
      permissions: ['messages:read', 'messages:write'], max_tokens_per_month: 1_000_000, expires_at: '2030-12-31T23:59:59.000Z',
    });
  });

  it('step 2 sends a message with the partner key', async () => {
    const out = await example('02_send_message.py', { PARTNER_API_KEY: partnerKey });
    expect(out).toMatch(/^\{'id': 'msg_[^']+', 'type': 'message', 'role': 'assistant', /);
    expect(out).toMatch(/'usage': \{'input_tokens': [1-9]\d*, .*'output_tokens': [1-9]\d*/);
  });

  it('lists partners', async () => {
    const out = await example('03_list_partners.py');
    expect(out).toBe(`${partnerId}: My Analytics Dashboard (Active: True)\n`);
    // The stand-in for `requests` must answer the same, so machines without it test the same thing.
    expect(await example('03_list_partners.py', {}, true)).toBe(out);
  });

  it('updates the partner', async () => {
    expect(await example('04_update_partner.py', { PARTNER_ID: partnerId })).toBe('Updated: 200\n');
    const got = (await h.call('GET', `/v1/partners/${partnerId}`)).body as Partner;
    expect(got).toMatchObject({ permissions: ['messages:read', 'messages:write', 'files:read'], max_tokens_per_month: 2_000_000 });
  });

  it('reads this month\'s usage', async () => {
    const out = await example('05_usage.py', { PARTNER_ID: partnerId });
    const usage = (await h.call('GET', `/v1/partners/${partnerId}/usage`)).body as { tokens_used: number };
    expect(usage.tokens_used).toBeGreaterThan(0);
    expect(out).toBe(`Tokens used this month: ${usage.tokens_used}\nLimit: 2000000\n`);
  });

  it('rotates the key with a bodiless JSON POST', async () => {
    const out = await example('06_rotate_key.py', { PARTNER_ID: partnerId });
    const newKey = /^New API key: (sk-ant-partner-[0-9A-Za-z]{43})\n$/.exec(out)?.[1];
    expect(newKey, out).toBeDefined();
    expect(((await h.call('GET', `/v1/partners/${partnerId}`)).body as Partner).key_hint).toBe(`…${newKey?.slice(-4)}`);
    const message = { model: 'claude-3-5-sonnet-20241022', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] };
    expectError(await h.call('POST', '/v1/messages', { key: partnerKey, body: message }), 401, 'authentication_error', 'this key has been rotated; use the new key');
    expect((await h.call('POST', '/v1/messages', { key: newKey as string, body: message })).status).toBe(200);
  });

  it('reads the audit log of the partner', async () => {
    const out = await example('07_audit_logs.py', { PARTNER_ID: partnerId });
    const at = '2026-06-15T12:00:00.000Z';
    expect(out).toBe([
      `${at}: partner.auth_rejected by My Analytics Dashboard`,
      `${at}: partner.key_rotated by My Analytics Dashboard`,
      `${at}: partner.updated by My Analytics Dashboard`,
      `${at}: partner.created by My Analytics Dashboard`,
      '',
    ].join('\n'));
    expect(await example('07_audit_logs.py', { PARTNER_ID: partnerId }, true)).toBe(out);
  });

  it('deletes the partner', async () => {
    expect(await example('08_delete_partner.py', { PARTNER_ID: partnerId })).toBe('Partner deleted successfully\n');
    expectError(await h.call('GET', `/v1/partners/${partnerId}`), 404, 'not_found_error', 'partner not found');
  });
});
