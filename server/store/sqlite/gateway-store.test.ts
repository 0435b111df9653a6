/**
 * The SQLite gateway repository's in-memory state and write-behind queue: what admission and
 * settlement keep in memory, when the rows land, and that reads never miss a settled answer.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Settlement } from '../gateway-types';
import type { PartnerRecord } from '../types';
import { removeTempDirs, tempDir } from '../../test-support/harness';
import { sqliteGateway } from './gateway';
import { openSqliteStore } from './index';
import { migrate } from './migrations';
import { WriteBehind } from './write-behind';

afterAll(removeTempDirs);

const T0 = '2026-06-15T12:00:00.000Z';
const NOW = Date.parse(T0);

function partner(id: string, keyHash: string): PartnerRecord {
  return {
    id, name: id, description: null, permissions: ['messages:write'], maxTokensPerMonth: null, requestsPerMinute: null,
    expiresAt: null, active: true, keyHash, keyHint: 'sk-ant-…abcd', keyCreatedAt: T0, lastUsedAt: null, createdAt: T0, updatedAt: T0,
  };
}
const audit = (id: string, partnerId: string) => ({
  id, timestamp: T0, action: 'partner.created', partnerId, partnerName: partnerId,
  actor: { type: 'admin_key' as const, id: 'adminkey_x', name: 'x' }, requestId: 'req_x', details: {},
});

function settlement(n: number, partnerId = 'partner_a'): Settlement {
  return {
    period: '2026-06', forwarded: true, reserved: 100,
    log: {
      requestId: `req_${String(n).padStart(24, '0')}`, partnerId, model: 'm', stream: false, status: 200,
      inputTokens: 10, outputTokens: 20, cacheCreationInputTokens: 3, cacheReadInputTokens: 4,
      startedAt: T0, finishedAt: T0, durationMs: 5,
    },
  };
}
const admission = (n: number, extra: Partial<Parameters<ReturnType<typeof openSqliteStore>['gateway']['admit']>[0]> = {}) => ({
  partnerId: 'partner_a', requestId: `req_${n}`, period: '2026-06', worstCase: 100, tokenLimit: null,
  requestsPerWindow: 1000, windowMs: 60_000, nowMs: NOW, ...extra,
});

describe('settlement (write-behind)', () => {
  it('is visible to usage and history reads at once, before any group commit ran', async () => {
    const store = openSqliteStore({ file: join(tempDir(), 'partners.db') });
    try {
      await store.gateway.admit(admission(1));
      await store.gateway.settle(settlement(1));
      // Same tick: the commit timer has not fired; the reads must flush first.
      expect(await store.usage.get('partner_a', '2026-06')).toEqual({
        inputTokens: 10, outputTokens: 20, cacheCreationInputTokens: 3, cacheReadInputTokens: 4, requests: 1,
      });
      expect((await store.usage.getMany(['partner_a'], '2026-06')).get('partner_a')?.requests).toBe(1);
      expect((await store.requestLog.list('partner_a', { limit: 10 }))?.items.map((r) => r.requestId)).toEqual([settlement(1).log.requestId]);
    } finally {
      await store.close();
    }
  });

  it('lands on close() and survives a restart, with the running totals reloaded', async () => {
    const file = join(tempDir(), 'partners.db');
    const store = openSqliteStore({ file });
    for (let n = 0; n < 50; n++) {
      await store.gateway.admit(admission(n));
      await store.gateway.settle(settlement(n));
    }
    await store.close(); // no read, no timer: only close() can have written them
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM request_log').pluck().get()).toBe(50);
    expect(db.prepare('SELECT requests, input_tokens, reserved_tokens FROM usage').get()).toEqual({ requests: 50, input_tokens: 500, reserved_tokens: 0 });
    db.close();

    const again = openSqliteStore({ file });
    try {
      // 50 × 37 tokens used: a 150-token worst case fits a 2000 limit exactly once more (1850 + 150).
      expect(await again.gateway.admit(admission(100, { tokenLimit: 2000, worstCase: 150 }))).toEqual({ admitted: true, tokensRemaining: 0 });
      expect(await again.gateway.admit(admission(101, { tokenLimit: 2000, worstCase: 1 }))).toMatchObject({ admitted: false, reason: 'token_limit' });
    } finally {
      await again.close();
    }
  });

  it('commits on its own within the group-commit window', async () => {
    const file = join(tempDir(), 'partners.db');
    const store = openSqliteStore({ file });
    try {
      await store.gateway.settle(settlement(1));
      await new Promise((r) => setTimeout(r, 100));
      const db = new Database(file, { readonly: true });
      expect(db.prepare('SELECT COUNT(*) FROM request_log').pluck().get()).toBe(1);
      db.close();
    } finally {
      await store.close();
    }
  });

  it('keeps the other writes of a batch when one fails, and reports the failure', async () => {
    const errors: unknown[] = [];
    const store = openSqliteStore({ file: join(tempDir(), 'partners.db'), onWriteError: (e) => errors.push(e) });
    try {
      await store.gateway.settle(settlement(1));
      await store.gateway.settle(settlement(1)); // the same request ID twice: its log insert fails
      await store.gateway.settle(settlement(2));
      const items = (await store.requestLog.list('partner_a', { limit: 10 }))?.items ?? [];
      expect(items.map((r) => r.requestId)).toEqual([settlement(2).log.requestId, settlement(1).log.requestId]);
      expect(errors).toHaveLength(1);
      expect((await store.usage.get('partner_a', '2026-06')).requests).toBe(2);
    } finally {
      await store.close();
    }
  });
});

describe('admission (in memory)', () => {
  it('never lets concurrent admissions exceed the limit, and settlement gives reservations back', async () => {
    const store = openSqliteStore({ file: join(tempDir(), 'partners.db') });
    try {
      const results = await Promise.all(Array.from({ length: 100 }, (_, n) => store.gateway.admit(admission(n, { tokenLimit: 1000, worstCase: 70 }))));
      expect(results.filter((r) => r.admitted)).toHaveLength(14); // 14 × 70 = 980 ≤ 1000 < 15 × 70
      expect(results.find((r) => !r.admitted)).toEqual({ admitted: false, reason: 'token_limit', tokensRemaining: 20 });
      // Settle one to its real usage (37 of its 70): 33 come back.
      await store.gateway.settle({ ...settlement(1), reserved: 70 });
      expect(await store.gateway.admit(admission(200, { tokenLimit: 1000, worstCase: 53 }))).toEqual({ admitted: true, tokensRemaining: 0 });
    } finally {
      await store.close();
    }
  });

  it('slides the rpm window and says when the oldest admission leaves', async () => {
    const store = openSqliteStore({ file: join(tempDir(), 'partners.db') });
    try {
      const rpm = (n: number, nowMs: number) => store.gateway.admit(admission(n, { requestsPerWindow: 2, nowMs }));
      expect((await rpm(1, NOW)).admitted).toBe(true);
      expect((await rpm(2, NOW + 10_000)).admitted).toBe(true);
      expect(await rpm(3, NOW + 20_000)).toEqual({ admitted: false, reason: 'rate_limit', retryAtMs: NOW + 60_000, tokensRemaining: null });
      expect((await rpm(4, NOW + 60_000)).admitted).toBe(true); // the first left at exactly +60 s
      expect(await rpm(5, NOW + 60_001)).toMatchObject({ reason: 'rate_limit', retryAtMs: NOW + 70_000 });
    } finally {
      await store.close();
    }
  });
});

describe('in-memory totals across months', () => {
  it('forgets earlier months with nothing in flight once a new month is seen, and stays exact', async () => {
    const db = new Database(join(tempDir(), 'partners.db'));
    migrate(db);
    const writes = new WriteBehind(db, {
      onError: (error) => {
        throw error;
      },
    });
    const gateway = sqliteGateway(db, writes);
    const june = (n: number, partnerId: string) => ({ ...settlement(n, partnerId), period: '2026-06' });
    try {
      for (const [n, id] of ['partner_a', 'partner_b', 'partner_c'].entries()) {
        await gateway.admit(admission(n, { partnerId: id }));
        await gateway.settle(june(n, id));
      }
      // partner_c still has a June request in flight when July starts.
      await gateway.admit(admission(10, { partnerId: 'partner_c' }));
      expect(gateway.trackedPeriods).toBe(3);
      await gateway.admit(admission(11, { partnerId: 'partner_a', period: '2026-07' }));
      expect(gateway.trackedPeriods).toBe(2); // partner_a July + partner_c June (reserved)
      // The in-flight June answer settles into June; an old month asked for again is reloaded exactly.
      await gateway.settle(june(10, 'partner_c'));
      const a = await gateway.admit(admission(12, { partnerId: 'partner_a', period: '2026-06', tokenLimit: 1000, worstCase: 1 }));
      expect(a).toEqual({ admitted: true, tokensRemaining: 1000 - 37 - 1 });
      const c = await gateway.admit(admission(13, { partnerId: 'partner_c', period: '2026-06', tokenLimit: 1000, worstCase: 1 }));
      expect(c).toEqual({ admitted: true, tokensRemaining: 1000 - 2 * 37 - 1 });
    } finally {
      writes.flush();
      db.close();
    }
  });
});

describe('partners: last_used_at and the key cache', () => {
  it('writes last_used_at at most once per partner per second', async () => {
    const store = openSqliteStore({ file: join(tempDir(), 'partners.db') });
    try {
      await store.partners.create(partner('partner_a', 'hash_a'), audit('audit_1', 'partner_a'));
      const touch = async (iso: string) => {
        await store.partners.touchLastUsed('partner_a', iso);
        return (await store.partners.get('partner_a'))?.lastUsedAt;
      };
      expect(await touch('2026-06-15T12:00:00.000Z')).toBe('2026-06-15T12:00:00.000Z');
      expect(await touch('2026-06-15T12:00:00.600Z')).toBe('2026-06-15T12:00:00.000Z');
      expect(await touch('2026-06-15T12:00:00.999Z')).toBe('2026-06-15T12:00:00.000Z');
      expect(await touch('2026-06-15T12:00:01.000Z')).toBe('2026-06-15T12:00:01.000Z');
      // A clock that stepped back is written, not ignored.
      expect(await touch('2026-06-15T11:59:00.000Z')).toBe('2026-06-15T11:59:00.000Z');
    } finally {
      await store.close();
    }
  });

  it('sees its own rotations and outside edits on the very next lookup', async () => {
    const file = join(tempDir(), 'partners.db');
    const store = openSqliteStore({ file });
    try {
      await store.partners.create(partner('partner_a', 'hash_a'), audit('audit_1', 'partner_a'));
      expect((await store.partners.findKey('hash_a'))?.key.retiredAt).toBeNull();
      await store.partners.rotateKey('partner_a', { keyHash: 'hash_b', keyHint: 'h', createdAt: T0, previousKeyExpiresAt: T0 }, audit('audit_2', 'partner_a'));
      expect((await store.partners.findKey('hash_a'))?.key.retiredAt).toBe(T0);
      expect((await store.partners.findKey('hash_b'))?.partner.active).toBe(true);

      const other = new Database(file);
      other.prepare('UPDATE partners SET active = 0').run();
      other.close();
      expect((await store.partners.findKey('hash_b'))?.partner.active).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe('admission while usage cannot be written', () => {
  it('admits nothing while settled usage is held for a full disk, then admits again once it is in the file', async () => {
    const db = new Database(join(tempDir(), 'partners.db'));
    migrate(db);
    db.exec('CREATE TABLE filler (b BLOB)');
    for (let i = 0; i < 40; i++) db.prepare('INSERT INTO filler (b) VALUES (zeroblob(4000))').run();
    // A real SQLITE_FULL, made small: the file may not grow by a single page.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const errors: string[] = [];
    const writes = new WriteBehind(db, { onError: (error) => errors.push((error as Error).message), retryMs: 20 });
    const gateway = sqliteGateway(db, writes);
    const full = 'database or disk is full (SQLITE_FULL)';
    try {
      expect(await gateway.admit(admission(1))).toEqual({ admitted: true, tokensRemaining: null });
      // Enough rows that the request log and usage tables need new pages.
      await gateway.settle(settlement(1));
      for (let n = 2; n < 60; n++) {
        await gateway.admit(admission(n));
        await gateway.settle(settlement(n));
      }
      writes.flush();
      expect(writes.storageFailure).toBe(full);
      expect(await gateway.admit(admission(100, { tokenLimit: 10_000 }))).toEqual({
        admitted: false, reason: 'unrecordable', problem: full, tokensRemaining: 10_000 - 59 * 37,
      });
      expect(errors).toEqual([`cannot record usage: ${full}; the rows are kept and retried every 0.02 s`]);

      db.exec('DELETE FROM filler');
      for (let i = 0; i < 100 && writes.storageFailure !== null; i++) await new Promise((r) => setTimeout(r, 20));
      expect(writes.storageFailure).toBeNull();
      expect(db.prepare('SELECT count(*) FROM request_log').pluck().get()).toBe(59);
      expect(db.prepare('SELECT requests, input_tokens FROM usage').get()).toEqual({ requests: 59, input_tokens: 590 });
      expect(await gateway.admit(admission(101))).toEqual({ admitted: true, tokensRemaining: null });
    } finally {
      writes.flush();
      db.close();
    }
  });
});
