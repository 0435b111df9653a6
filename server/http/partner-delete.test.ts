/** DELETE /v1/partners/{id}: soft delete, 204 empty, the partner and its key are gone, history stays. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Partner } from '../../shared/api';
import { expectError, startHarness, type Harness } from '../test-support/harness';
import { auditOf, createPartner } from '../test-support/partners';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe('DELETE /v1/partners/{id}', () => {
  it('answers 204 with an empty body, also with a JSON content type and no body', async () => {
    for (const init of [{}, { raw: '' }]) {
      const p = await createPartner(h);
      const a = await h.call('DELETE', `/v1/partners/${p.id}`, init);
      expect({ status: a.status, text: a.text, type: a.headers.get('content-type') }).toEqual({ status: 204, text: '', type: null });
      expect(a.headers.get('request-id')).toMatch(/^req_/);
    }
  });

  it('makes every later call on it a 404, drops it from lists, and its key unknown', async () => {
    const p = await createPartner(h, { name: 'doomed', permissions: ['admin:read', 'admin:write'] });
    const kept = await createPartner(h, { name: 'kept' });
    expect((await h.call('GET', '/v1/partners', { key: p.api_key })).status).toBe(200);
    expect((await h.call('DELETE', `/v1/partners/${p.id}`)).status).toBe(204);

    const gone = (a: Awaited<ReturnType<Harness['call']>>) => expectError(a, 404, 'not_found_error', 'partner not found');
    gone(await h.call('GET', `/v1/partners/${p.id}`));
    gone(await h.call('PATCH', `/v1/partners/${p.id}`, { body: { name: 'x' } }));
    gone(await h.call('DELETE', `/v1/partners/${p.id}`));
    gone(await h.call('POST', `/v1/partners/${p.id}/rotate`));
    expectError(await h.call('GET', '/v1/partners', { key: p.api_key }), 401, 'authentication_error', 'invalid x-api-key');

    const list = (await h.call('GET', '/v1/partners?limit=1000')).body as Page<Partner>;
    expect(list.data.map((x) => x.id)).toContain(kept.id);
    expect(list.data.map((x) => x.id)).not.toContain(p.id);
    // A cursor naming the deleted partner still pages on (a client may hold it from an earlier page).
    expect((await h.call('GET', `/v1/partners?before_id=${p.id}`)).body).toMatchObject({ data: [expect.objectContaining({ id: kept.id })] });

    const history = await auditOf(h, p.id);
    expect(history.map((e) => e.action)).toEqual(['partner.deleted', 'partner.created']);
    expect(history[0]).toMatchObject({ partner_name: 'doomed', actor: { type: 'admin_key' }, details: {} });

    // The row stays, marked deleted, for audit and usage history.
    const db = new Database(join(h.dataDir, 'partners.db'), { readonly: true });
    const row = db.prepare('SELECT name, deleted_at FROM partners WHERE id = ?').get(p.id);
    db.close();
    expect(row).toEqual({ name: 'doomed', deleted_at: '2026-06-15T12:00:00.000Z' });
  });

  it('refuses a body', async () => {
    const p = await createPartner(h);
    expectError(await h.call('DELETE', `/v1/partners/${p.id}`, { body: {} }), 400, 'invalid_request_error', 'body: DELETE takes no body');
    expect((await h.call('GET', `/v1/partners/${p.id}`)).status).toBe(200);
  });

  it('lets a partner key with admin:write delete itself, after which it is unknown', async () => {
    const p = await createPartner(h, { permissions: ['admin:write'] });
    expect((await h.call('DELETE', `/v1/partners/${p.id}`, { key: p.api_key })).status).toBe(204);
    expectError(await h.call('DELETE', `/v1/partners/${p.id}`, { key: p.api_key }), 401, 'authentication_error', 'invalid x-api-key');
    expect((await auditOf(h, p.id))[0]).toMatchObject({ action: 'partner.deleted', actor: { type: 'partner', id: p.id } });
  });
});
