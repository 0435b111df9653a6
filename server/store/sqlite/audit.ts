/** SQLite implementation of the audit repository (append-only). */
import type Database from 'better-sqlite3';
import type { AuditQuery, AuditRecord, AuditRepository, PageResult } from '../types';
import { keysetPage, rowsToFetch } from './keyset-page';

interface AuditRow {
  id: string;
  timestamp: string;
  action: string;
  partner_id: string | null;
  partner_name: string | null;
  actor_type: 'admin_key' | 'partner';
  actor_id: string;
  actor_name: string;
  request_id: string;
  details: string;
}

const COLUMNS = 'id, timestamp, action, partner_id, partner_name, actor_type, actor_id, actor_name, request_id, details';

const fromRow = (r: AuditRow): AuditRecord => ({
  id: r.id,
  timestamp: r.timestamp,
  action: r.action,
  partnerId: r.partner_id,
  partnerName: r.partner_name,
  actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
  requestId: r.request_id,
  details: JSON.parse(r.details) as Record<string, unknown>,
});

/** Shared with other repositories so their writes and the audit entry share one transaction. */
export function insertAudit(db: Database.Database, e: AuditRecord): void {
  db.prepare(
    `INSERT INTO audit_logs (id, timestamp, action, partner_id, partner_name, actor_type, actor_id,
       actor_name, request_id, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    e.id,
    e.timestamp,
    e.action,
    e.partnerId,
    e.partnerName,
    e.actor.type,
    e.actor.id,
    e.actor.name,
    e.requestId,
    JSON.stringify(e.details),
  );
}

export function sqliteAudit(db: Database.Database): AuditRepository {
  const seqOf = db.prepare<[string], { seq: number }>('SELECT seq FROM audit_logs WHERE id = ?');

  // Timestamps are all toISOString() output (fixed width, UTC), so text order is time order.
  const listTx = db.transaction((q: AuditQuery): PageResult<AuditRecord> | null => {
    const where: string[] = [];
    const values: (string | number)[] = [];
    const cursor = q.afterId ?? q.beforeId;
    if (cursor !== undefined) {
      const found = seqOf.get(cursor);
      if (!found) return null;
      where.push(q.afterId !== undefined ? 'seq < ?' : 'seq > ?');
      values.push(found.seq);
    }
    const filters: [string, string | undefined][] = [
      ['partner_id = ?', q.partnerId],
      ['action = ?', q.action],
      ['timestamp >= ?', q.since],
      ['timestamp < ?', q.until],
    ];
    for (const [condition, value] of filters) {
      if (value === undefined) continue;
      where.push(condition);
      values.push(value);
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    // Going newer (before_id) reads upwards from the cursor, then flips to newest first.
    const order = q.beforeId !== undefined ? 'ASC' : 'DESC';
    const rows = db
      .prepare<unknown[], AuditRow>(`SELECT ${COLUMNS} FROM audit_logs ${filter} ORDER BY seq ${order} LIMIT ?`)
      .all(...values, rowsToFetch(q));
    if (q.beforeId !== undefined) rows.reverse();
    return keysetPage(rows, q, fromRow);
  });

  return {
    async append(entry) {
      insertAudit(db, entry);
    },
    async list(query) {
      return listTx(query);
    },
  };
}
