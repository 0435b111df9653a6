/**
 * The storage port of the server. Nothing here may assume SQLite: a PostgreSQL implementation
 * shared by several gateway instances is planned, so every method is async and cursors are
 * public IDs, never database row numbers.
 */
import type { Scope } from '../../shared/api';
import type { GatewayRepository, RequestLogRepository, UsageRepository } from './gateway-types';

/** Timestamps are RFC 3339 strings in UTC with milliseconds and `Z` (Date#toISOString). */
export type Timestamp = string;

/**
 * The storage cannot do what was asked right now (disk full, the file locked by another program,
 * an I/O error): nothing was changed, and the same call may well succeed later. `message` is
 * written for the API's caller, naming the cause.
 */
export class StorageUnavailable extends Error {
  override readonly name = 'StorageUnavailable';
  constructor(
    message: string,
    /** The cause is already in the server's log (said once for the whole episode): not again per request. */
    readonly reported = false,
  ) {
    super(message);
  }
}

export interface PartnerRecord {
  id: string;
  name: string;
  description: string | null;
  permissions: Scope[];
  maxTokensPerMonth: number | null;
  requestsPerMinute: number | null;
  expiresAt: Timestamp | null;
  active: boolean;
  /** SHA-256 (hex) of the partner's key; the key itself is never stored. */
  keyHash: string;
  keyHint: string;
  keyCreatedAt: Timestamp;
  lastUsedAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/**
 * One key of a partner, as a hash. The current key has `retiredAt` null; a rotated-out key keeps
 * working until its own `expiresAt` (its grace window), then stays on record so the server can
 * tell its holder the key was rotated rather than unknown.
 */
export interface PartnerKeyRecord {
  keyHash: string;
  keyHint: string;
  createdAt: Timestamp;
  retiredAt: Timestamp | null;
  expiresAt: Timestamp | null;
}

/** The fields PATCH may change, in store terms; absent = unchanged. */
export interface PartnerChanges {
  name?: string;
  description?: string | null;
  permissions?: Scope[];
  maxTokensPerMonth?: number | null;
  requestsPerMinute?: number | null;
  expiresAt?: Timestamp | null;
  active?: boolean;
}

export interface NewPartnerKey {
  keyHash: string;
  keyHint: string;
  createdAt: Timestamp;
  /** When the key being replaced (and any older key still in its grace window) stops working. */
  previousKeyExpiresAt: Timestamp;
}

export interface AdminKeyRecord {
  id: string;
  name: string;
  keyHash: string;
  keyHint: string;
  createdAt: Timestamp;
}

export interface AuditRecord {
  id: string;
  timestamp: Timestamp;
  action: string;
  partnerId: string | null;
  partnerName: string | null;
  actor: { type: 'admin_key' | 'partner'; id: string; name: string };
  requestId: string;
  /** Free-form details; callers must never put a key in here. */
  details: Record<string, unknown>;
}

export interface PageRequest {
  limit: number;
  /** Return items older than this ID (the next page of a newest-first list). */
  afterId?: string;
  /** Return items newer than this ID (the previous page). */
  beforeId?: string;
}

export interface PageResult<T> {
  /** Newest first, whatever the direction. */
  items: T[];
  /** More items exist beyond this page in the direction that was asked for. */
  hasMore: boolean;
}

export interface PartnerRepository {
  /** Inserts the partner and its `partner.created` audit entry atomically. */
  create(partner: PartnerRecord, audit: AuditRecord): Promise<void>;
  get(id: string): Promise<PartnerRecord | null>;
  /** The partner whose current key has this hash; deleted partners are never found. */
  findByKeyHash(keyHash: string): Promise<PartnerRecord | null>;
  /** Any key of a non-deleted partner with this hash, current or retired, with its partner. */
  findKey(keyHash: string): Promise<{ partner: PartnerRecord; key: PartnerKeyRecord } | null>;
  /**
   * Newest first in creation order; null when the cursor names no partner. Deleted partners
   * are left out, except with `deletedSince`: then those deleted at or after that instant are
   * listed too (usage reports: a partner deleted mid-month still spent tokens that month).
   */
  list(page: PageRequest, options?: { deletedSince?: Timestamp }): Promise<PageResult<PartnerRecord> | null>;
  /** The partner even when deleted (its history stays readable); null when it never existed. */
  getIncludingDeleted(id: string): Promise<PartnerRecord | null>;
  touchLastUsed(id: string, at: Timestamp): Promise<void>;
  /** Applies the changes and appends the audit entry atomically; null when the partner is gone. */
  update(id: string, changes: PartnerChanges, updatedAt: Timestamp, audit: AuditRecord | null): Promise<PartnerRecord | null>;
  /** Marks the partner deleted (the row stays for history) with its audit entry; false when already gone. */
  softDelete(id: string, at: Timestamp, audit: AuditRecord): Promise<boolean>;
  /**
   * Makes `key` the partner's current key, retires the old one until `previousKeyExpiresAt`
   * (and cuts any older key's grace to that instant), with the audit entry, atomically.
   */
  rotateKey(id: string, key: NewPartnerKey, audit: AuditRecord): Promise<PartnerRecord | null>;
}

export interface AdminKeyRepository {
  /** Registers the key unless one with the same hash exists; true when it was added. */
  ensure(key: AdminKeyRecord): Promise<boolean>;
  count(): Promise<number>;
  /** Active keys only: a revoked key is unknown. */
  findByKeyHash(keyHash: string): Promise<AdminKeyRecord | null>;
  /** Every key, oldest first, revoked ones included. */
  list(): Promise<(AdminKeyRecord & { revokedAt: Timestamp | null })[]>;
  revoke(id: string, at: Timestamp): Promise<'revoked' | 'already_revoked' | 'not_found'>;
}

export interface AuditQuery extends PageRequest {
  partnerId?: string;
  action?: string;
  /** Inclusive lower bound on `timestamp`. */
  since?: Timestamp;
  /** Exclusive upper bound on `timestamp`. */
  until?: Timestamp;
}

export interface AuditRepository {
  append(entry: AuditRecord): Promise<void>;
  /** Newest first (append order), filtered; null when the cursor names no entry. */
  list(query: AuditQuery): Promise<PageResult<AuditRecord> | null>;
}

export interface Store {
  partners: PartnerRepository;
  adminKeys: AdminKeyRepository;
  audit: AuditRepository;
  gateway: GatewayRepository;
  usage: UsageRepository;
  requestLog: RequestLogRepository;
  close(): Promise<void>;
}
