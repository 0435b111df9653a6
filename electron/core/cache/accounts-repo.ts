import type { AccountColor } from '../../../shared/ipc';
import type { CacheDb } from './db';

/** An account as stored. The key stays sealed here; only the vault opens it. */
export interface AccountRecord {
  id: string;
  name: string;
  color: AccountColor;
  baseUrl: string;
  keyCiphertext: Buffer;
  keyHint: string;
  embedded: boolean;
  createdAt: string;
  lastSyncedAt: string | null;
  sortOrder: number;
}

export type NewAccount = Omit<AccountRecord, 'lastSyncedAt' | 'sortOrder'>;

interface AccountRow {
  id: string;
  name: string;
  color: string;
  base_url: string;
  key_ciphertext: Buffer;
  key_hint: string;
  embedded: number;
  created_at: string;
  last_synced_at: string | null;
  sort_order: number;
}

const SELECTED_ACCOUNT = 'selected_account_id';

function fromRow(row: AccountRow): AccountRecord {
  return {
    id: row.id,
    name: row.name,
    color: row.color as AccountColor,
    baseUrl: row.base_url,
    keyCiphertext: row.key_ciphertext,
    keyHint: row.key_hint,
    embedded: row.embedded === 1,
    createdAt: row.created_at,
    lastSyncedAt: row.last_synced_at,
    sortOrder: row.sort_order,
  };
}

export class AccountsRepo {
  constructor(private readonly db: CacheDb) {}

  list(): AccountRecord[] {
    const rows = this.db.prepare('SELECT * FROM accounts ORDER BY sort_order, created_at').all() as AccountRow[];
    return rows.map(fromRow);
  }

  get(id: string): AccountRecord | null {
    const row = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    return row ? fromRow(row) : null;
  }

  findEmbedded(): AccountRecord | null {
    const row = this.db.prepare('SELECT * FROM accounts WHERE embedded = 1 ORDER BY sort_order LIMIT 1').get() as
      | AccountRow
      | undefined;
    return row ? fromRow(row) : null;
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n;
  }

  /** Appends the account at the end of the list; the first account ever becomes the selected one. */
  insert(account: NewAccount): AccountRecord {
    this.db.transaction(() => {
      const { next } = this.db.prepare('SELECT COALESCE(MAX(sort_order) + 1, 0) AS next FROM accounts').get() as {
        next: number;
      };
      this.db
        .prepare(
          `INSERT INTO accounts (id, name, color, base_url, key_ciphertext, key_hint, embedded, created_at, sort_order)
           VALUES (@id, @name, @color, @baseUrl, @keyCiphertext, @keyHint, @embedded, @createdAt, @sortOrder)`,
        )
        .run({ ...account, embedded: account.embedded ? 1 : 0, sortOrder: next });
      if (this.selectedId() === null) this.select(account.id);
    })();
    return this.get(account.id) as AccountRecord;
  }

  updateBaseUrl(id: string, baseUrl: string): void {
    this.db.prepare('UPDATE accounts SET base_url = ? WHERE id = ?').run(baseUrl, id);
  }

  updateKey(id: string, keyCiphertext: Buffer, keyHint: string): void {
    this.db.prepare('UPDATE accounts SET key_ciphertext = ?, key_hint = ? WHERE id = ?').run(keyCiphertext, keyHint, id);
  }

  setLastSyncedAt(id: string, at: string): void {
    this.db.prepare('UPDATE accounts SET last_synced_at = ? WHERE id = ?').run(at, id);
  }

  selectedId(): string | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(SELECTED_ACCOUNT) as
      | { value: string }
      | undefined;
    return row?.value ?? null;
  }

  select(id: string): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(SELECTED_ACCOUNT, id);
  }
}
