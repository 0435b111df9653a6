import { afterEach, describe, expect, it } from 'vitest';
import { noEmbeddedServer, openCore, type CoreUnderTest } from '../test-support/core-fixture';
import { startFakePartnersApi, type FakePartnersApi } from '../test-support/fake-partners-api';
import { tempDir } from '../test-support/temp-dir';

/** Answers the real server rarely gives, through the whole core: a fake API makes them on demand. */
describe('handlers facing unusual server answers', () => {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function setup(requestTimeoutMs?: number): Promise<{ api: FakePartnersApi; c: CoreUnderTest; id: string }> {
    const dir = tempDir();
    closers.push(dir.cleanup);
    const api = await startFakePartnersApi();
    closers.push(() => api.close());
    const c = await openCore(dir.path, { startServer: noEmbeddedServer, requestTimeoutMs });
    closers.push(() => c.core.close());
    const state = await c.ok('accounts:add', { name: 'Fake', baseUrl: api.url, adminKey: api.adminKey });
    return { api, c, id: state.accounts[0]?.id ?? '' };
  }

  it("maps a server's 400 on create to the form's field", async () => {
    const { api, c, id } = await setup();
    api.failNext(400, { type: 'error', error: { type: 'invalid_request_error', message: 'name: already taken' } });
    const result = await c.call('partners:create', { accountId: id, partner: { name: 'Dup', permissions: ['messages:write'] } });
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid_input', status: 400, field: 'partner.name', message: 'partner.name: already taken' },
    });
  });

  it('uses the configured request timeout and keeps the cache on a 429', async () => {
    const { api, c, id } = await setup(200);
    api.addPartners(2);
    const before = await c.ok('partners:refresh', { accountId: id });
    expect(before.partners).toHaveLength(2);

    api.failNext(429, { type: 'error', error: { type: 'rate_limit_error', message: 'slow' } }, { 'retry-after': '9' });
    expect(await c.call('partners:refresh', { accountId: id })).toMatchObject({
      ok: false, error: { code: 'rate_limited', status: 429, retryAfter: 9 },
    });
    api.delayMs = 1000;
    expect(await c.call('partners:refresh', { accountId: id })).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(await c.ok('partners:cached', { accountId: id })).toEqual(before);
  });
});
