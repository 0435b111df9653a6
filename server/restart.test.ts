/** What must survive a stop and start on the same data dir: grace windows, rotated keys, expiry, deletes, audit. */
import { afterAll, describe, expect, it } from 'vitest';
import type { PartnerKey } from '../shared/api';
import { expectError, removeTempDirs, startHarness, tempDir, type Harness } from './test-support/harness';
import { auditOf, createPartner, keyStatus } from './test-support/partners';

afterAll(removeTempDirs);

const ADMIN_KEY = `sk-ant-admin-${'R'.repeat(40)}`;

async function restart(h: Harness): Promise<Harness> {
  const now = h.now.value;
  await h.stop();
  const next = await startHarness({ dataDir: h.dataDir, adminKey: ADMIN_KEY });
  next.now.value = now;
  return next;
}

describe('a restart keeps', () => {
  it('grace windows, rotated-out keys, expiry, deletions and the audit log', async () => {
    let h = await startHarness({ dataDir: tempDir(), adminKey: ADMIN_KEY });
    try {
      h.now.value = new Date('2026-06-15T12:00:00.000Z');
      const graced = await createPartner(h, { name: 'graced', permissions: ['admin:read'] });
      const rotated = (await h.call('POST', `/v1/partners/${graced.id}/rotate`, { body: { grace_period_seconds: 120 } })).body as PartnerKey;
      const expiring = await createPartner(h, { name: 'expiring', permissions: ['admin:read'], expires_at: '2026-06-15T12:01:00Z' });
      const deleted = await createPartner(h, { name: 'deleted', permissions: ['admin:read'] });
      await h.call('DELETE', `/v1/partners/${deleted.id}`);
      const auditBefore = (await h.call('GET', '/v1/audit-logs?limit=1000')).body;

      h = await restart(h);
      h.now.value = new Date('2026-06-15T12:00:30.000Z');
      expect([await keyStatus(h, graced.api_key), await keyStatus(h, rotated.api_key), await keyStatus(h, expiring.api_key)]).toEqual([200, 200, 200]);
      expectError(await h.call('GET', '/v1/partners', { key: deleted.api_key }), 401, 'authentication_error', 'invalid x-api-key');
      expect((await h.call('GET', `/v1/partners/${deleted.id}`)).status).toBe(404);
      const auditAfter = (await h.call('GET', `/v1/audit-logs?limit=1000&until=2026-06-15T12:00:01Z`)).body;
      expect(auditAfter).toEqual(auditBefore);

      h = await restart(h);
      h.now.value = new Date('2026-06-15T12:02:00.000Z');
      expectError(await h.call('GET', '/v1/partners', { key: graced.api_key }), 401, 'authentication_error', 'this key has been rotated; use the new key');
      expectError(await h.call('GET', '/v1/partners', { key: expiring.api_key }), 401, 'authentication_error', 'this key has expired');
      expect(await keyStatus(h, rotated.api_key)).toBe(200);
      expect((await h.call('GET', `/v1/partners/${graced.id}`)).body).toMatchObject({ key_hint: rotated.key_hint });

      h = await restart(h);
      expect((await auditOf(h, graced.id)).map((e) => [e.action, e.details.reason ?? null])).toEqual([
        ['partner.auth_rejected', 'rotated'],
        ['partner.key_rotated', null],
        ['partner.created', null],
      ]);
      expect((await auditOf(h, deleted.id)).map((e) => e.action)).toEqual(['partner.deleted', 'partner.created']);
    } finally {
      await h.stop();
    }
  });
});
