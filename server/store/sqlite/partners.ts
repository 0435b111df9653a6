/** SQLite implementation of the partner repository. */
import type Database from 'better-sqlite3';
import type { Scope } from '../../../shared/api';
import type { AuditRecord, PageRequest, PageResult, PartnerRecord, PartnerRepository } from '../types';
import { insertAudit } from './audit';

interface PartnerRow {
  id: string;
  name: string;
  description: string | null;
  permissions: string;
  max_tokens_per_month: number | null;
  requests_per_minute: number | null;
  expires_at: string | null;
  active: number;
  key_hash: string;
  key_hint: string;
  key_created_at: string;
  last_used_at: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS = `id, name, description, permissions, max_tokens_per_month, requests_per_minute, expires_at,
  active, key_hash, key_hint, key_created_at, last_used_at, created_at, updated_at`;

function fromRow(row: PartnerRow): PartnerRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: JSON.parse(row.permissions) as Scope[],
    maxTokensPerMonth: row.max_tokens_per_month,
    requestsPerMinute: row.requests_per_minute,
    expiresAt: row.expires_at,
    active: row.active === 1,
    keyHash: row.key_hash,
    keyHint: row.key_hint,
    keyCreatedAt: row.key_created_at,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function sqlitePartners(db: Database.Database): PartnerRepository {
  const insert = db.prepare(`INSERT INTO partners (${COLUMNS}) VALUES
    (@id, @name, @description, @permissions, @maxTokensPerMonth, @requestsPerMinute, @expiresAt,
     @active, @keyHash, @keyHint, @keyCreatedAt, @lastUsedAt, @createdAt, @updatedAt)`);
  const byId = db.prepare<[string], PartnerRow>(`SELECT ${COLUMNS} FROM partners WHERE id = ?`);
  const byHash = db.prepare<[string], PartnerRow>(`SELECT ${COLUMNS} FROM partners WHERE key_hash = ?`);
  const seqOf = db.prepare<[string], { seq: number }>('SELECT seq FROM partners WHERE id = ?');
  const newest = db.prepare<[number], PartnerRow>(`SELECT ${COLUMNS} FROM partners ORDER BY seq DESC LIMIT ?`);
  const older = db.prepare<[number, number], PartnerRow>(
    `SELECT ${COLUMNS} FROM partners WHERE seq < ? ORDER BY seq DESC LIMIT ?`,
  );
  const newer = db.prepare<[number, number], PartnerRow>(
    `SELECT ${COLUMNS} FROM partners WHERE seq > ? ORDER BY seq ASC LIMIT ?`,
  );
  const touch = db.prepare('UPDATE partners SET last_used_at = ? WHERE id = ?');

  const createTx = db.transaction((p: PartnerRecord, audit: AuditRecord) => {
    insert.run({ ...p, permissions: JSON.stringify(p.permissions), active: p.active ? 1 : 0 });
    insertAudit(db, audit);
  });

  // One read transaction, so the cursor lookup and the page see the same snapshot.
  const listTx = db.transaction((page: PageRequest): PageResult<PartnerRecord> | null => {
    const cursor = page.afterId ?? page.beforeId;
    // Fetch one extra row to learn whether more exist, without a COUNT.
    const take = page.limit + 1;
    let rows: PartnerRow[];
    if (cursor === undefined) {
      rows = newest.all(take);
    } else {
      const found = seqOf.get(cursor);
      if (!found) return null;
      rows = page.afterId !== undefined ? older.all(found.seq, take) : newer.all(found.seq, take).reverse();
    }
    const hasMore = rows.length > page.limit;
    if (hasMore) {
      // The surplus row is the one farthest from the cursor: the last when going older, the first when newer.
      rows = page.beforeId !== undefined ? rows.slice(1) : rows.slice(0, page.limit);
    }
    return { items: rows.map(fromRow), hasMore };
  });

  return {
    async create(partner, audit) {
      createTx(partner, audit);
    },
    async get(id) {
      const row = byId.get(id);
      return row ? fromRow(row) : null;
    },
    async findByKeyHash(keyHash) {
      const row = byHash.get(keyHash);
      return row ? fromRow(row) : null;
    },
    async list(page) {
      return listTx(page);
    },
    async touchLastUsed(id, at) {
      touch.run(at, id);
    },
  };
}
