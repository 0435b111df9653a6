/**
 * The gateway's part of the storage port: admission (token reservations and the
 * requests-per-minute window), settlement (usage and the request log), and reads for the usage
 * and history endpoints. Every check-and-write is one repository method, so an implementation
 * shared by several gateway instances (PostgreSQL) can make it atomic with one transaction.
 */
import type { AuditRecord, PageRequest, PageResult, Timestamp } from './types';

/** A usage period: the calendar month in UTC, written `YYYY-MM`. */
export type Period = string;

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
}

export interface UsageTotals extends TokenCounts {
  /** Requests admitted and forwarded to the upstream. */
  requests: number;
}

export interface AdmissionRequest {
  partnerId: string;
  requestId: string;
  period: Period;
  /** max_tokens plus the input estimate: what this request may cost at most. */
  worstCase: number;
  /** The partner's monthly limit; null = unlimited (the reservation is still recorded). */
  tokenLimit: number | null;
  /** Admitted requests allowed in any sliding window of `windowMs`. */
  requestsPerWindow: number;
  windowMs: number;
  /** Milliseconds since the epoch, from the server's injected clock. */
  nowMs: number;
}

/**
 * `tokensRemaining`: limit − (tokens used in the period + every open reservation, this request's
 * included when admitted), floored at 0; null when the partner has no limit.
 */
export type Admission =
  | { admitted: true; tokensRemaining: number | null }
  | { admitted: false; reason: 'token_limit'; tokensRemaining: number | null }
  /** `retryAtMs`: when enough admitted requests have left the window for one more. */
  | { admitted: false; reason: 'rate_limit'; retryAtMs: number; tokensRemaining: number | null }
  /** Usage cannot be written (`problem` says why, e.g. a full disk): nothing is admitted unmetered. */
  | { admitted: false; reason: 'unrecordable'; problem: string; tokensRemaining: number | null };

/** One answered request, metadata only: never content. */
export interface RequestLogRecord extends TokenCounts {
  requestId: string;
  partnerId: string;
  model: string | null;
  stream: boolean;
  /** The HTTP status the client received (the upstream's, relayed, or ours). */
  status: number;
  startedAt: Timestamp;
  finishedAt: Timestamp;
  durationMs: number;
}

export interface Settlement {
  /** The period the reservation was made against: usage lands there even if the answer ends next month. */
  period: Period;
  /** False when the upstream was never reached: the request then counts no request and no tokens. */
  forwarded: boolean;
  /** The worst case admission reserved for this request, now given back. */
  reserved: number;
  log: RequestLogRecord;
}

export interface GatewayRepository {
  /**
   * Atomically: checks used + reserved + worstCase ≤ tokenLimit, then the requests-per-window
   * limit, and when both pass adds worstCase to the period's reserved tokens and records the
   * window entry.
   */
  admit(request: AdmissionRequest): Promise<Admission>;
  /** Atomically: gives back the reservation, adds the reported usage to the period, appends the log entry. */
  settle(settlement: Settlement): Promise<void>;
  /**
   * Zeroes every reservation: called at start, when none can be in flight (a crash left them).
   * A store shared by several gateway instances would tag reservations with their instance instead.
   */
  releaseAllReservations(): Promise<void>;
  /**
   * Records that the partner hit its limit in this period and appends the audit entry, once per
   * partner and period; true when this call was the first.
   */
  noteLimitReached(partnerId: string, period: Period, audit: AuditRecord): Promise<boolean>;
}

export interface UsageRepository {
  /** Zeros when nothing was recorded. */
  get(partnerId: string, period: Period): Promise<UsageTotals>;
  /** Totals of several partners at once (for one page of `GET /v1/usage`); absent = zeros. */
  getMany(partnerIds: readonly string[], period: Period): Promise<Map<string, UsageTotals>>;
}

export interface RequestLogRepository {
  /** One partner's log, newest first; null when the cursor names no request of that partner. */
  list(partnerId: string, page: PageRequest): Promise<PageResult<RequestLogRecord> | null>;
}
