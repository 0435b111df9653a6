import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../errors';
import { startFakePartnersApi, type FakePartnersApi } from '../test-support/fake-partners-api';
import { PartnersClient } from '.';
import { parseRetryAfter } from './errors';

async function failure(promise: Promise<unknown>): Promise<CoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CoreError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('PartnersClient', () => {
  let api: FakePartnersApi;
  const client = new PartnersClient({ timeoutMs: 500 });
  beforeEach(async () => {
    api = await startFakePartnersApi();
  });
  afterEach(() => api.close());

  it('sends the key, the API version and JSON, and follows every page of 1000', async () => {
    api.addPartners(2300);
    const all = await client.listAllPartners(api.url, api.adminKey);
    expect(all.map((p) => p.id)).toEqual(api.partners.map((p) => p.id));
    expect(api.requests.map((r) => r.path)).toEqual([
      '/v1/partners?limit=1000',
      `/v1/partners?limit=1000&after_id=${api.partners[999]?.id}`,
      `/v1/partners?limit=1000&after_id=${api.partners[1999]?.id}`,
    ]);
    const headers = api.requests[0]?.headers;
    expect(headers?.['x-api-key']).toBe(api.adminKey);
    expect(headers?.['anthropic-version']).toBe('2023-06-01');
  });

  it('keeps a path prefix of the base URL', async () => {
    const error = await failure(client.listAllPartners(`${api.url}/prefix/`, api.adminKey));
    expect(api.requests[0]?.path).toBe('/prefix/v1/partners?limit=1000');
    expect(error.code).toBe('not_found');
  });

  it('creates a partner and hands back its key separately', async () => {
    const { partner, apiKey } = await client.createPartner(api.url, api.adminKey, { name: 'Bot', permissions: ['messages:write'] });
    expect(apiKey).toMatch(/^sk-ant-partner-/);
    expect(partner).not.toHaveProperty('api_key');
    expect(api.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'invalid_input'], // a 404 on the list: the URL is not a Partners API server
    [500, 'server_error'],
    [529, 'server_error'],
  ] as const)('maps HTTP %i to %s, keeping the status and never the key', async (status, code) => {
    api.failNext(status);
    const error = await failure(client.checkAccess(api.url, api.adminKey));
    expect(error.toIpcError()).toMatchObject({ code, status });
    expect(error.message).not.toContain(api.adminKey);
  });

  it('reports a wrong key as unauthorized', async () => {
    const error = await failure(client.checkAccess(api.url, `${api.adminKey}x`));
    expect(error.toIpcError()).toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it("names the field of a 400 from the server's message", async () => {
    api.failNext(400, { type: 'error', error: { type: 'invalid_request_error', message: 'expires_at: must be in the future' } });
    const error = await failure(client.checkAccess(api.url, api.adminKey));
    expect(error.toIpcError()).toEqual({ code: 'invalid_input', status: 400, field: 'expires_at', message: 'expires_at: must be in the future' });
  });

  it('passes on retry-after from a 429', async () => {
    api.failNext(429, { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }, { 'retry-after': '17' });
    const error = await failure(client.checkAccess(api.url, api.adminKey));
    expect(error.toIpcError()).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 17 });
  });

  it('treats an answer of the wrong shape as a server error', async () => {
    api.failNext(200, { hello: 'world' });
    expect((await failure(client.checkAccess(api.url, api.adminKey))).toIpcError()).toMatchObject({ code: 'server_error', status: 200 });
  });

  it('gives up after the timeout', async () => {
    api.delayMs = 2000;
    const error = await failure(client.checkAccess(api.url, api.adminKey));
    expect(error.code).toBe('timeout');
  });

  it('says offline when nothing listens', async () => {
    const closed: Server = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const error = await failure(client.checkAccess(`http://127.0.0.1:${port}`, api.adminKey));
    expect(error.code).toBe('offline');
    expect(error.message).toContain(`Can't reach 127.0.0.1:${port}`);
    expect(error.status).toBeUndefined();
  });

  it('stops when a server repeats a page', async () => {
    api.addPartners(3);
    const looping: typeof fetch = async () =>
      new Response(JSON.stringify({ data: api.partners, has_more: true, first_id: 'a', last_id: api.partners[2]?.id }));
    const error = await failure(new PartnersClient({ fetch: looping }).listAllPartners(api.url, api.adminKey));
    expect(error.code).toBe('server_error');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', new Date('2026-01-01T00:00:00Z'))).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
