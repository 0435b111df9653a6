/**
 * The storage port of the server. Nothing here may assume SQLite: a PostgreSQL implementation
 * shared by several gateway instances is planned, so every method is async and cursors are
 * public IDs, never database row numbers.
 */
import type { Scope } from '../../shared/api';

/** Timestamps are RFC 3339 strings in UTC with milliseconds and `Z` (Date#toISOString). */
export type Timestamp = string;

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
  findByKeyHash(keyHash: string): Promise<PartnerRecord | null>;
  /** Newest first in creation order; null when the cursor names no partner. */
  list(page: PageRequest): Promise<PageResult<PartnerRecord> | null>;
  touchLastUsed(id: string, at: Timestamp): Promise<void>;
}

export interface AdminKeyRepository {
  /** Registers the key unless one with the same hash exists; true when it was added. */
  ensure(key: AdminKeyRecord): Promise<boolean>;
  count(): Promise<number>;
  findByKeyHash(keyHash: string): Promise<AdminKeyRecord | null>;
}

export interface AuditRepository {
  append(entry: AuditRecord): Promise<void>;
}

export interface Store {
  partners: PartnerRepository;
  adminKeys: AdminKeyRepository;
  audit: AuditRepository;
  close(): Promise<void>;
}
