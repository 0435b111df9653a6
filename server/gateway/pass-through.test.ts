/** count_tokens, models and files pass through to the upstream unmetered, under their scopes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../test/fakes/anthropic-upstream';
import { ADMIN_CANNOT_SEND } from '../http/auth';
import { ERROR_BODY_LIMIT } from '../http/routes/pass-through';
import { createPartner, sdk, usageOf } from '../test-support/gateway';
import { expectError, removeTempDirs, startHarness, type Harness } from '../test-support/harness';

const OWNER_KEY = 'sk-ant-api03-owner-test-key-pass-through';
let h: Harness;
let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream();
  h = await startHarness({ upstream: 'anthropic', upstreamUrl: fake.url, upstreamApiKey: OWNER_KEY });
});
afterAll(async () => {
  await h.stop();
  await fake.close();
  removeTempDirs();
});

describe('messages:write pass-throughs', () => {
  it('count_tokens and models reach the upstream with the owner key, unmetered', async () => {
    const p = await createPartner(h);
    const client = sdk(h, p.key);
    expect(await client.messages.countTokens({ model: 'claude-x', messages: [{ role: 'user', content: 'hi' }] })).toEqual({ input_tokens: 42 });
    const models = await h.call('GET', '/v1/models?limit=5', { key: p.key });
    expect(models.status).toBe(200);
    expect(fake.received.at(-1)).toMatchObject({ method: 'GET', path: '/v1/models?limit=5' });
    expect(fake.received.at(-1)!.headers['x-api-key']).toBe(OWNER_KEY);
    expect(await usageOf(h, p.id)).toMatchObject({ tokens_used: 0, requests: 0 });
    expectError(await h.call('GET', '/v1/models'), 403, 'permission_error', ADMIN_CANNOT_SEND);
  });
});

describe('upstream errors on pass-throughs', () => {
  it('relays the status and body with any key the upstream quotes redacted (a key pasted as a model or file ID)', async () => {
    const p = await createPartner(h, { permissions: ['messages:write', 'files:read'] });
    fake.next({ status: 404, error: { type: 'not_found_error', message: `model: ${p.key}` } });
    const counted = await h.call('POST', '/v1/messages/count_tokens', { key: p.key, body: { model: p.key, messages: [{ role: 'user', content: 'hi' }] } });
    expect({ status: counted.status, body: counted.body }).toEqual({
      status: 404,
      body: { type: 'error', error: { type: 'not_found_error', message: 'model: sk-ant-[redacted]' }, request_id: 'req_upstream_fake_01' },
    });
    expect(counted.headers.get('content-length')).toBe(String(Buffer.byteLength(JSON.stringify(counted.body))));
    fake.next({ status: 400, error: { type: 'invalid_request_error', message: 'file_id: no such file' } });
    const file = await h.call('GET', '/v1/files/file_nope', { key: p.key });
    expect({ status: file.status, body: file.body }).toEqual({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'file_id: no such file' }, request_id: 'req_upstream_fake_01' },
    });
  });

  it('an error answer too large to read whole is not relayed: 500 api_error', async () => {
    const p = await createPartner(h);
    fake.next({ status: 500, error: { type: 'api_error', message: 'x'.repeat(ERROR_BODY_LIMIT) } });
    expectError(
      await h.call('GET', '/v1/models', { key: p.key }),
      500,
      'api_error',
      `the upstream API answered an error of more than ${ERROR_BODY_LIMIT} bytes; it was not relayed`,
    );
    expect((await h.call('GET', '/v1/models', { key: p.key })).status).toBe(200);
  });
});

describe('/v1/files', () => {
  it('streams a multipart upload through byte for byte with anthropic-beta, under files:write', async () => {
    const p = await createPartner(h, { permissions: ['files:read', 'files:write'] });
    const boundary = '----partnerdesk-test';
    const raw = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.txt"\r\ncontent-type: text/plain\r\n\r\nhello file\r\n--${boundary}--\r\n`;
    const a = await h.call('POST', '/v1/files', {
      key: p.key,
      raw,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'anthropic-beta': 'files-api-2025-04-14' },
    });
    expect(a.status).toBe(200);
    const got = fake.received.at(-1)!;
    expect(got.body.toString()).toBe(raw);
    expect(got.headers['content-type']).toBe(`multipart/form-data; boundary=${boundary}`);
    expect(got.headers['anthropic-beta']).toBe('files-api-2025-04-14');
    expect(got.headers['x-api-key']).toBe(OWNER_KEY);
    expect((await h.call('GET', '/v1/files/file_fake', { key: p.key })).status).toBe(200);
    expect((await h.call('DELETE', '/v1/files/file_fake', { key: p.key })).status).toBe(200);
    expect(fake.received.slice(-2).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/files/file_fake', 'DELETE /v1/files/file_fake']);
  });

  it('GET needs files:read; POST and DELETE need files:write', async () => {
    const reader = await createPartner(h, { permissions: ['files:read'] });
    const writer = await createPartner(h, { permissions: ['files:write'] });
    expect((await h.call('GET', '/v1/files', { key: reader.key })).status).toBe(200);
    expectError(await h.call('DELETE', '/v1/files/file_x', { key: reader.key }), 403, 'permission_error', 'this key does not hold the files:write scope');
    expectError(await h.call('GET', '/v1/files', { key: writer.key }), 403, 'permission_error', 'this key does not hold the files:read scope');
  });
});
