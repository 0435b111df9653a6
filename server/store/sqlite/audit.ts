/** SQLite implementation of the audit repository (append-only). */
import type Database from 'better-sqlite3';
import type { AuditRecord, AuditRepository } from '../types';

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
  return {
    async append(entry) {
      insertAudit(db, entry);
    },
  };
}
