import type { Partner } from '../../../shared/api';
import type { CacheDb } from './db';

/**
 * The partners of each account as last seen on its server. Partner objects carry no secret,
 * but a created partner arrives with its new `api_key`; `toCachedJson` drops it so a key can
 * never reach the disk through this table, whatever a caller passes in.
 */
export class PartnersRepo {
  constructor(private readonly db: CacheDb) {}

  /** Newest first, like the API (served by the partners_by_account_newest index). */
  list(accountId: string): Partner[] {
    const rows = this.db
      .prepare('SELECT json FROM partners WHERE account_id = ? ORDER BY created_at DESC, partner_id DESC')
      .all(accountId) as { json: string }[];
    return rows.map((row) => JSON.parse(row.json) as Partner);
  }

  upsert(accountId: string, partner: Partner): void {
    this.db
      .prepare(
        `INSERT INTO partners (account_id, partner_id, created_at, json) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id, partner_id) DO UPDATE SET created_at = excluded.created_at, json = excluded.json`,
      )
      .run(accountId, partner.id, partner.created_at, toCachedJson(partner));
  }

  /**
   * Replaces the account's whole list in one transaction and records when: readers see the
   * old list or the new one, never a mix, and a failure leaves the old list in place.
   */
  replaceAll(accountId: string, partners: readonly Partner[], afterWrite: () => void = () => {}): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM partners WHERE account_id = ?').run(accountId);
      for (const partner of partners) this.upsert(accountId, partner);
      afterWrite();
    })();
  }
}

function toCachedJson(partner: Partner): string {
  const { api_key: _dropped, ...rest } = partner as Partner & { api_key?: unknown };
  return JSON.stringify(rest);
}
