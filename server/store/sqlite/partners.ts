/** SQLite implementation of the partner repository. Deleted partners stay as rows but are never returned. */
import type Database from 'better-sqlite3';
import type { AuditRecord, PageRequest, PageResult, PartnerChanges, PartnerRecord, PartnerRepository } from '../types';
import { insertAudit } from './audit';
import { sqlitePartnerKeys, type FoundKey } from './partner-keys';
import { PARTNER_COLUMNS, partnerFromRow, type PartnerRow } from './partner-rows';
import type { WriteBehind } from './write-behind';
import { keysetPage, rowsToFetch } from './keyset-page';

/**
 * last_used_at is precise to one second: a partner's key is used on every gateway request, so
 * touchLastUsed writes at most once per partner per second (through the write-behind queue);
 * reads of partner rows flush that queue first.
 */
export const LAST_USED_RESOLUTION_MS = 1000;

/** PartnerChanges field → column, and how its value is stored. */
const CHANGE_COLUMNS: Record<keyof PartnerChanges, [column: string, toDb: (v: unknown) => unknown]> = {
  name: ['name', (v) => v],
  description: ['description', (v) => v],
  permissions: ['permissions', (v) => JSON.stringify(v)],
  maxTokensPerMonth: ['max_tokens_per_month', (v) => v],
  requestsPerMinute: ['requests_per_minute', (v) => v],
  expiresAt: ['expires_at', (v) => v],
  active: ['active', (v) => (v ? 1 : 0)],
};

export interface PartnerRepositoryOptions {
  /** This connection makes every partner write (the server holding the owner lock). */
  soleWriter: boolean;
}

export function sqlitePartners(db: Database.Database, writes: WriteBehind, { soleWriter }: PartnerRepositoryOptions): PartnerRepository {
  const insert = db.prepare(`INSERT INTO partners (${PARTNER_COLUMNS}) VALUES
    (@id, @name, @description, @permissions, @maxTokensPerMonth, @requestsPerMinute, @expiresAt,
     @active, @keyHash, @keyHint, @keyCreatedAt, @lastUsedAt, @createdAt, @updatedAt)`);
  const insertKey = db.prepare('INSERT INTO partner_keys (partner_id, key_hash, key_hint, created_at) VALUES (?, ?, ?, ?)');
  const byId = db.prepare<[string], PartnerRow>(`SELECT ${PARTNER_COLUMNS} FROM partners WHERE id = ? AND deleted_at IS NULL`);
  // Cursors may name a partner deleted since the previous page was fetched: paging must go on.
  const seqOf = db.prepare<[string], { seq: number }>('SELECT seq FROM partners WHERE id = ?');
  const anyById = db.prepare<[string], PartnerRow>(`SELECT ${PARTNER_COLUMNS} FROM partners WHERE id = ?`);
  // `shown`: not deleted, or deleted at or after the given instant.
  const shown = '(deleted_at IS NULL OR deleted_at >= ?)';
  const newest = db.prepare<[string, number], PartnerRow>(
    `SELECT ${PARTNER_COLUMNS} FROM partners WHERE ${shown} ORDER BY seq DESC LIMIT ?`,
  );
  const older = db.prepare<[number, string, number], PartnerRow>(
    `SELECT ${PARTNER_COLUMNS} FROM partners WHERE seq < ? AND ${shown} ORDER BY seq DESC LIMIT ?`,
  );
  const newer = db.prepare<[number, string, number], PartnerRow>(
    `SELECT ${PARTNER_COLUMNS} FROM partners WHERE seq > ? AND ${shown} ORDER BY seq ASC LIMIT ?`,
  );
  const touch = writes.statement('UPDATE partners SET last_used_at = ? WHERE id = ?');
  const markDeleted = db.prepare('UPDATE partners SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL');

  const createTx = db.transaction((p: PartnerRecord, audit: AuditRecord) => {
    insert.run({ ...p, permissions: JSON.stringify(p.permissions), active: p.active ? 1 : 0 });
    insertKey.run(p.id, p.keyHash, p.keyHint, p.keyCreatedAt);
    insertAudit(db, audit);
  });

  const updateTx = db.transaction((id: string, changes: PartnerChanges, updatedAt: string, audit: AuditRecord | null) => {
    if (!byId.get(id)) return null;
    const sets = ['updated_at = ?'];
    const values: unknown[] = [updatedAt];
    for (const [field, value] of Object.entries(changes) as [keyof PartnerChanges, unknown][]) {
      if (value === undefined) continue;
      const [column, toDb] = CHANGE_COLUMNS[field];
      sets.push(`${column} = ?`);
      values.push(toDb(value));
    }
    // Column names come from the fixed map above, never from input.
    db.prepare(`UPDATE partners SET ${sets.join(', ')} WHERE id = ? AND deleted_at IS NULL`).run(...values, id);
    if (audit) insertAudit(db, audit);
    const row = byId.get(id);
    return row ? partnerFromRow(row) : null;
  });

  const deleteTx = db.transaction((id: string, at: string, audit: AuditRecord) => {
    if (markDeleted.run(at, id).changes !== 1) return false;
    insertAudit(db, audit);
    return true;
  });

  // One read transaction, so the cursor lookup and the page see the same snapshot.
  const listTx = db.transaction((page: PageRequest, deletedSince: string): PageResult<PartnerRecord> | null => {
    const cursor = page.afterId ?? page.beforeId;
    const take = rowsToFetch(page);
    let rows: PartnerRow[];
    if (cursor === undefined) {
      rows = newest.all(deletedSince, take);
    } else {
      const found = seqOf.get(cursor);
      if (!found) return null;
      rows =
        page.afterId !== undefined
          ? older.all(found.seq, deletedSince, take)
          : newer.all(found.seq, deletedSince, take).reverse();
    }
    return keysetPage(rows, page, partnerFromRow);
  });

  /** Partner ID → the last_used_at (ms) last written or queued by this process. */
  const lastTouched = new Map<string, number>();
  const keys = sqlitePartnerKeys(db);

  /**
   * Key lookups (every authenticated request) cached by hash. This repository clears it on each
   * of its own partner writes, which is exact when it is the sole writer (the server, holding the
   * data dir's owner lock: partners change only through its API). Otherwise (a store opened
   * beside a running server) every lookup first checks `PRAGMA data_version`, which moves when
   * ANOTHER connection commits; the owner skips that check, a read transaction on the WAL index
   * (~13 µs and two fcntl calls per request at concurrency 50). Known keys only, so unknown keys
   * cannot grow it; cached records are shared and must not be mutated.
   */
  const keyCache = new Map<string, FoundKey>();
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  let cachedVersion = -1;
  const KEY_CACHE_MAX = 10_000;
  const forgetKeys = () => keyCache.clear();

  return {
    // The hot path (every gateway request): no flush, and the caller overrides lastUsedAt anyway.
    async findKey(keyHash) {
      if (!soleWriter) {
        const version = dataVersion.get()!;
        if (version !== cachedVersion) {
          keyCache.clear();
          cachedVersion = version;
        }
      }
      const cached = keyCache.get(keyHash);
      if (cached !== undefined) return cached;
      const found = keys.findKeyNow(keyHash);
      if (found !== null) {
        if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
        keyCache.set(keyHash, found);
      }
      return found;
    },
    async findByKeyHash(keyHash) {
      writes.flush();
      return keys.findByKeyHash(keyHash);
    },
    async rotateKey(id, key, audit) {
      writes.flush();
      forgetKeys();
      return keys.rotateKey(id, key, audit);
    },
    async create(partner, audit) {
      writes.flush();
      createTx(partner, audit);
    },
    async get(id) {
      writes.flush();
      const row = byId.get(id);
      return row ? partnerFromRow(row) : null;
    },
    async list(page, options) {
      writes.flush();
      // Any ISO timestamp sorts before "~": with no deletedSince, no deleted partner is shown.
      return listTx(page, options?.deletedSince ?? '~');
    },
    async getIncludingDeleted(id) {
      writes.flush();
      const row = anyById.get(id);
      return row ? partnerFromRow(row) : null;
    },
    async touchLastUsed(id, at) {
      const ms = Date.parse(at);
      const previous = lastTouched.get(id);
      // Within a second after the last write: skip. A clock that stepped back writes anyway.
      if (previous !== undefined && ms >= previous && ms - previous < LAST_USED_RESOLUTION_MS) return;
      lastTouched.set(id, ms);
      writes.enqueue([touch, [at, id]]);
    },
    async update(id, changes, updatedAt, audit) {
      writes.flush();
      forgetKeys();
      return updateTx(id, changes, updatedAt, audit);
    },
    async softDelete(id, at, audit) {
      writes.flush();
      forgetKeys();
      return deleteTx(id, at, audit);
    },
  };
}
