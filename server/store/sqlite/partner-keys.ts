/**
 * SQLite implementation of the partner key methods: lookup by hash among current and retired
 * keys, and rotation. Deleted partners are invisible here, so their keys are simply unknown.
 */
import type Database from 'better-sqlite3';
import type { PartnerKeyRecord, PartnerRecord, PartnerRepository } from '../types';
import { insertAudit } from './audit';
import { PARTNER_COLUMNS, P_COLUMNS, partnerFromRow, type PartnerRow } from './partner-rows';

interface KeyRow {
  k_hash: string;
  k_hint: string;
  k_created_at: string;
  k_retired_at: string | null;
  k_expires_at: string | null;
}

export interface FoundKey {
  partner: PartnerRecord;
  key: PartnerKeyRecord;
}

type KeyMethods = Pick<PartnerRepository, 'findByKeyHash' | 'findKey' | 'rotateKey'> & {
  /** findKey, synchronously (for the caching wrapper in partners.ts). */
  findKeyNow(keyHash: string): FoundKey | null;
};

export function sqlitePartnerKeys(db: Database.Database): KeyMethods {
  const byCurrentHash = db.prepare<[string], PartnerRow>(
    `SELECT ${P_COLUMNS} FROM partner_keys k JOIN partners p ON p.id = k.partner_id
     WHERE k.key_hash = ? AND k.retired_at IS NULL AND p.deleted_at IS NULL`,
  );
  const byAnyHash = db.prepare<[string], PartnerRow & KeyRow>(
    `SELECT ${P_COLUMNS}, k.key_hash AS k_hash, k.key_hint AS k_hint, k.created_at AS k_created_at,
       k.retired_at AS k_retired_at, k.expires_at AS k_expires_at
     FROM partner_keys k JOIN partners p ON p.id = k.partner_id
     WHERE k.key_hash = ? AND p.deleted_at IS NULL`,
  );
  const liveById = db.prepare<[string], PartnerRow>(`SELECT ${PARTNER_COLUMNS} FROM partners WHERE id = ? AND deleted_at IS NULL`);
  const retireCurrent = db.prepare('UPDATE partner_keys SET retired_at = ?, expires_at = ? WHERE partner_id = ? AND retired_at IS NULL');
  // A rotation bounds every older key's grace too: rotating with no grace after a leak must cut them all.
  const capGrace = db.prepare(
    'UPDATE partner_keys SET expires_at = ? WHERE partner_id = ? AND retired_at IS NOT NULL AND expires_at > ?',
  );
  const insertKey = db.prepare(
    'INSERT INTO partner_keys (partner_id, key_hash, key_hint, created_at) VALUES (?, ?, ?, ?)',
  );
  const mirror = db.prepare(
    'UPDATE partners SET key_hash = ?, key_hint = ?, key_created_at = ?, updated_at = ? WHERE id = ?',
  );

  const rotateTx = db.transaction((...[id, key, audit]: Parameters<KeyMethods['rotateKey']>) => {
    if (!liveById.get(id)) return null;
    capGrace.run(key.previousKeyExpiresAt, id, key.previousKeyExpiresAt);
    retireCurrent.run(key.createdAt, key.previousKeyExpiresAt, id);
    insertKey.run(id, key.keyHash, key.keyHint, key.createdAt);
    mirror.run(key.keyHash, key.keyHint, key.createdAt, key.createdAt, id);
    insertAudit(db, audit);
    const row = liveById.get(id);
    return row ? partnerFromRow(row) : null;
  });

  function findKeyNow(keyHash: string): FoundKey | null {
    const row = byAnyHash.get(keyHash);
    if (!row) return null;
    const key: PartnerKeyRecord = {
      keyHash: row.k_hash,
      keyHint: row.k_hint,
      createdAt: row.k_created_at,
      retiredAt: row.k_retired_at,
      expiresAt: row.k_expires_at,
    };
    return { partner: partnerFromRow(row), key };
  }

  return {
    findKeyNow,
    async findByKeyHash(keyHash) {
      const row = byCurrentHash.get(keyHash);
      return row ? partnerFromRow(row) : null;
    },
    async findKey(keyHash) {
      return findKeyNow(keyHash);
    },
    async rotateKey(id, key, audit) {
      return rotateTx(id, key, audit);
    },
  };
}
