/**
 * SQLite implementation of the gateway repository.
 *
 * A SQLite file is owned by exactly one server process, so the state admission needs lives in
 * this process's memory and admission runs no SQL at all (atomic because JavaScript runs one
 * request's admit() to completion before the next):
 * - the period's running usage total per partner, loaded from the `usage` row on first use and
 *   then kept here as the authoritative figure (every settlement updates it at once);
 * - the open reservations: per-process by nature, so a restart starts at zero (as before, where
 *   a start zeroed the column);
 * - the requests-per-minute sliding windows: admission times per partner. They are NOT persisted:
 *   after a restart a partner's window starts empty (at most one extra minute's worth of requests).
 * Settlement's rows (the usage upsert and the request-log entry) go through the write-behind
 * queue as one all-or-nothing unit, committed with every other settlement of the same 10 ms
 * window in one transaction (in the writer thread, on the server). Usage and history reads
 * flush that queue first, so they see every settled answer.
 *
 * A store shared by several instances (PostgreSQL) would do the same checks in one transaction.
 */
import type Database from 'better-sqlite3';
import type { Admission, AdmissionRequest, GatewayRepository, Settlement } from '../gateway-types';
import { insertAudit } from './audit';
import type { WriteBehind } from './write-behind';

interface PeriodState {
  /** Tokens used in the period, all four kinds summed. */
  used: number;
  /** Worst cases of this process's requests admitted and not yet settled. */
  reserved: number;
}

/** Admission times (ms) of one partner, ascending; `head` skips expired entries without shifting. */
class RateWindow {
  private times: number[] = [];
  private head = 0;

  get size(): number {
    return this.times.length - this.head;
  }

  /** Forgets every admission at or before `cutoffMs`. */
  expire(cutoffMs: number): void {
    const { times } = this;
    while (this.head < times.length && times[this.head]! <= cutoffMs) this.head += 1;
    if (this.head === times.length) {
      this.times = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > times.length) {
      this.times = times.slice(this.head);
      this.head = 0;
    }
  }

  /** The i-th oldest admission still in the window (0 = oldest). */
  at(i: number): number {
    return this.times[this.head + i]!;
  }

  add(atMs: number): void {
    const { times } = this;
    // The clock may step back (NTP, injected test clocks): keep the list sorted anyway.
    let i = times.length;
    while (i > this.head && times[i - 1]! > atMs) i -= 1;
    if (i === times.length) times.push(atMs);
    else times.splice(i, 0, atMs);
  }
}

/** Tokens left under a limit (null: no limit). */
function remaining(tokenLimit: number | null, tokens: number): number | null {
  return tokenLimit === null ? null : Math.max(0, tokenLimit - tokens);
}

export interface SqliteGatewayRepository extends GatewayRepository {
  /** How many partner+period totals are held in memory (for tests). */
  readonly trackedPeriods: number;
}

export function sqliteGateway(db: Database.Database, writes: WriteBehind): SqliteGatewayRepository {
  const usedOf = db.prepare<[string, string], { used: number }>(
    `SELECT input_tokens + output_tokens + cache_creation_input_tokens + cache_read_input_tokens AS used
     FROM usage WHERE partner_id = ? AND period = ?`,
  );
  const addUsage = writes.statement(
    `INSERT INTO usage (partner_id, period, input_tokens, output_tokens, cache_creation_input_tokens,
       cache_read_input_tokens, requests)
     VALUES (?, ?, ?, ?, ?, ?, 1)
     ON CONFLICT (partner_id, period) DO UPDATE SET
       input_tokens = input_tokens + excluded.input_tokens,
       output_tokens = output_tokens + excluded.output_tokens,
       cache_creation_input_tokens = cache_creation_input_tokens + excluded.cache_creation_input_tokens,
       cache_read_input_tokens = cache_read_input_tokens + excluded.cache_read_input_tokens,
       requests = requests + 1`,
  );
  const insertLog = writes.statement(
    `INSERT INTO request_log (request_id, partner_id, model, stream, status, input_tokens, output_tokens,
       cache_creation_input_tokens, cache_read_input_tokens, started_at, finished_at, duration_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertNotice = db.prepare<[string, string]>(
    'INSERT OR IGNORE INTO usage_limit_notices (partner_id, period) VALUES (?, ?)',
  );
  // Reservations used to live in this column (and the rpm windows in rate_window/rate_counts);
  // a database written by such a version may still hold some.
  const releaseColumn = db.prepare('UPDATE usage SET reserved_tokens = 0 WHERE reserved_tokens <> 0');
  const clearWindows = db.prepare('DELETE FROM rate_window');
  const clearCounts = db.prepare('DELETE FROM rate_counts');

  /**
   * Partner id → period → state (two lookups of strings the caller already holds, rather than
   * a key string built per lookup); see forgetOldPeriods for how it stays small.
   */
  const periods = new Map<string, Map<string, PeriodState>>();
  const windows = new Map<string, RateWindow>();
  let newestPeriod = '';

  /**
   * When a new month is first seen, totals of earlier months with nothing in flight are dropped:
   * they are in the `usage` rows (reloaded, after a flush, should an old period ever be asked
   * for again), so the map holds about one entry per active partner, not one per partner-month.
   */
  function forgetOldPeriods(period: string): void {
    newestPeriod = period;
    for (const [partnerId, byPeriod] of periods) {
      for (const [older, state] of byPeriod) if (state.reserved === 0 && older < period) byPeriod.delete(older);
      if (byPeriod.size === 0) periods.delete(partnerId);
    }
  }

  function periodState(partnerId: string, period: string): PeriodState {
    let state = periods.get(partnerId)?.get(period);
    if (state === undefined) {
      if (period > newestPeriod) forgetOldPeriods(period);
      writes.flush(); // the row must include anything still queued
      state = { used: usedOf.get(partnerId, period)?.used ?? 0, reserved: 0 };
      let byPeriod = periods.get(partnerId);
      if (byPeriod === undefined) {
        byPeriod = new Map();
        periods.set(partnerId, byPeriod);
      }
      byPeriod.set(period, state);
    }
    return state;
  }

  function admit(r: AdmissionRequest): Admission {
    const problem = writes.storageFailure;
    if (problem !== null) {
      // Checked before the period is loaded: with usage held, the file's totals are short of it,
      // and a state loaded now would stay short once the held usage lands.
      const known = periods.get(r.partnerId)?.get(r.period);
      return { admitted: false, reason: 'unrecordable', problem, tokensRemaining: known ? remaining(r.tokenLimit, known.used + known.reserved) : null };
    }
    const state = periodState(r.partnerId, r.period);
    const committed = state.used + state.reserved + r.worstCase;
    if (r.tokenLimit !== null && committed > r.tokenLimit) {
      return { admitted: false, reason: 'token_limit', tokensRemaining: remaining(r.tokenLimit, state.used + state.reserved) };
    }
    let window = windows.get(r.partnerId);
    if (window === undefined) {
      window = new RateWindow();
      windows.set(r.partnerId, window);
    }
    window.expire(r.nowMs - r.windowMs);
    const count = window.size;
    if (count >= r.requestsPerWindow) {
      // After a lowered limit the window may hold more than N: one more fits once count − N + 1 have left.
      const index = count - r.requestsPerWindow;
      const leaving = index < count ? window.at(index) : r.nowMs;
      return {
        admitted: false,
        reason: 'rate_limit',
        retryAtMs: leaving + r.windowMs,
        tokensRemaining: remaining(r.tokenLimit, state.used + state.reserved),
      };
    }
    window.add(r.nowMs);
    state.reserved += r.worstCase;
    return { admitted: true, tokensRemaining: remaining(r.tokenLimit, committed) };
  }

  function settle(s: Settlement): void {
    const { log } = s;
    const state = periodState(log.partnerId, s.period);
    state.reserved = Math.max(0, state.reserved - s.reserved);
    const { inputTokens, outputTokens, cacheCreationInputTokens, cacheReadInputTokens } = log;
    if (s.forwarded) state.used += inputTokens + outputTokens + cacheCreationInputTokens + cacheReadInputTokens;
    const logRow = [
      log.requestId, log.partnerId, log.model, log.stream ? 1 : 0, log.status, inputTokens, outputTokens,
      cacheCreationInputTokens, cacheReadInputTokens, log.startedAt, log.finishedAt, log.durationMs,
    ];
    // Not forwarded = no request and no tokens: only the log entry.
    if (s.forwarded) {
      writes.enqueue(
        [addUsage, [log.partnerId, s.period, inputTokens, outputTokens, cacheCreationInputTokens, cacheReadInputTokens]],
        [insertLog, logRow],
      );
    } else {
      writes.enqueue([insertLog, logRow]);
    }
  }

  const noticeTx = db.transaction((partnerId: string, period: string, audit: Parameters<typeof insertAudit>[1]) => {
    if (insertNotice.run(partnerId, period).changes === 0) return false;
    insertAudit(db, audit);
    return true;
  });

  return {
    get trackedPeriods() {
      let count = 0;
      for (const byPeriod of periods.values()) count += byPeriod.size;
      return count;
    },
    async admit(request) {
      return admit(request);
    },
    async settle(settlement) {
      settle(settlement);
    },
    async releaseAllReservations() {
      for (const byPeriod of periods.values()) for (const state of byPeriod.values()) state.reserved = 0;
      db.transaction(() => {
        releaseColumn.run();
        clearWindows.run();
        clearCounts.run();
      }).immediate();
    },
    async noteLimitReached(partnerId, period, audit) {
      return noticeTx.immediate(partnerId, period, audit);
    },
  };
}
