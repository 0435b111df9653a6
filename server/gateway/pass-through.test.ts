/** count_tokens, models and files pass through to the upstream unmetered, under their scopes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../test/fakes/anthropic-upstream';
import { ADMIN_CANNOT_SEND } from '../http/auth';
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
