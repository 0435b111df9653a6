/** Migration 2 and the key repository: keys made before partner_keys existed keep working. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../test-support/harness';
import { MIGRATIONS, migrate } from './migrations';
import { openSqliteStore } from './index';

afterAll(removeTempDirs);

describe('migration 2', () => {
  it('carries every version-1 partner key into partner_keys as the current key', async () => {
    const file = join(tempDir(), 'partners.db');
    const v1 = new Database(file);
    migrate(v1, MIGRATIONS.filter((m) => m.version === 1));
    v1.prepare(
      `INSERT INTO partners (id, name, permissions, key_hash, key_hint, key_created_at, created_at, updated_at)
       VALUES ('partner_AAAAAAAAAAAAAAAAAAAAAAAA', 'old', '["admin:read"]', 'aa', '…old1', '2026-01-01T00:00:00.000Z',
               '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    ).run();
    v1.close();

    const store = openSqliteStore({ file });
    try {
      const found = await store.partners.findKey('aa');
      expect(found?.partner.name).toBe('old');
      expect(found?.key).toEqual({ keyHash: 'aa', keyHint: '…old1', createdAt: '2026-01-01T00:00:00.000Z', retiredAt: null, expiresAt: null });
      expect(await store.partners.findByKeyHash('aa')).toMatchObject({ id: 'partner_AAAAAAAAAAAAAAAAAAAAAAAA' });
      expect(await store.partners.findKey('bb')).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('hides deleted partners from every lookup', async () => {
    const store = openSqliteStore({ file: join(tempDir(), 'partners.db') });
    try {
      const at = '2026-06-15T12:00:00.000Z';
      const audit = (action: string) => ({
        id: `audit_${action}`, timestamp: at, action, partnerId: 'partner_BBBBBBBBBBBBBBBBBBBBBBBB', partnerName: 'b',
        actor: { type: 'admin_key' as const, id: 'adminkey_x', name: 'x' }, requestId: 'req_x', details: {},
      });
      await store.partners.create(
        {
          id: 'partner_BBBBBBBBBBBBBBBBBBBBBBBB', name: 'b', description: null, permissions: ['files:read'], maxTokensPerMonth: null,
          requestsPerMinute: null, expiresAt: null, active: true, keyHash: 'cc', keyHint: '…cccc', keyCreatedAt: at,
          lastUsedAt: null, createdAt: at, updatedAt: at,
        },
        audit('created'),
      );
      expect(await store.partners.softDelete('partner_BBBBBBBBBBBBBBBBBBBBBBBB', at, audit('deleted'))).toBe(true);
      expect(await store.partners.softDelete('partner_BBBBBBBBBBBBBBBBBBBBBBBB', at, audit('deleted-again'))).toBe(false);
      expect(await store.partners.get('partner_BBBBBBBBBBBBBBBBBBBBBBBB')).toBeNull();
      expect(await store.partners.findKey('cc')).toBeNull();
      expect(await store.partners.findByKeyHash('cc')).toBeNull();
      expect(await store.partners.update('partner_BBBBBBBBBBBBBBBBBBBBBBBB', { name: 'z' }, at, null)).toBeNull();
      expect(await store.partners.list({ limit: 10 })).toEqual({ items: [], hasMore: false });
      expect((await store.audit.list({ limit: 10 }))?.items.map((e) => e.action)).toEqual(['deleted', 'created']);
    } finally {
      await store.close();
    }
  });
});
