/**
 * SQLite implementation of the gateway repository. Admission and settlement are each one
 * IMMEDIATE transaction (the write lock is taken before the first read), so no other request
 * or process can slip between the limit check and the reservation.
 *
 * Counters are kept incrementally so every statement touches O(1) rows per request: the usage
 * row carries the sum of open reservations (no reservation rows: the caller hands its worst case
 * back at settlement), and `rate_counts` the size of each partner's window.
 */
import type Database from 'better-sqlite3';
import type { Admission, AdmissionRequest, GatewayRepository, Settlement } from '../gateway-types';
import { insertAudit } from './audit';

interface UsageRow {
  used: number;
  reserved: number;
}

export function sqliteGateway(db: Database.Database): GatewayRepository {
  const usageOf = db.prepare<[string, string], UsageRow>(
    `SELECT input_tokens + output_tokens + cache_creation_input_tokens + cache_read_input_tokens AS used,
       reserved_tokens AS reserved FROM usage WHERE partner_id = ? AND period = ?`,
  );
  const reserveUsage = db.prepare<[string, string, number]>(
    `INSERT INTO usage (partner_id, period, reserved_tokens) VALUES (?, ?, ?)
     ON CONFLICT (partner_id, period) DO UPDATE SET reserved_tokens = reserved_tokens + excluded.reserved_tokens`,
  );
  const expire = db.prepare<[string, number]>('DELETE FROM rate_window WHERE partner_id = ? AND admitted_at_ms <= ?');
  const windowCount = db.prepare<[string], { n: number }>('SELECT in_window AS n FROM rate_counts WHERE partner_id = ?');
  const setWindowCount = db.prepare<[string, number]>(
    `INSERT INTO rate_counts (partner_id, in_window) VALUES (?, ?)
     ON CONFLICT (partner_id) DO UPDATE SET in_window = excluded.in_window`,
  );
  const nthOldest = db.prepare<[string, number], { at: number }>(
    'SELECT admitted_at_ms AS at FROM rate_window WHERE partner_id = ? ORDER BY admitted_at_ms LIMIT 1 OFFSET ?',
  );
  const insertWindow = db.prepare<[string, number, string]>(
    'INSERT INTO rate_window (partner_id, admitted_at_ms, request_id) VALUES (?, ?, ?)',
  );
  const addUsage = db.prepare(
    `INSERT INTO usage (partner_id, period, input_tokens, output_tokens, cache_creation_input_tokens,
       cache_read_input_tokens, requests, reserved_tokens)
     VALUES (@partnerId, @period, @input, @output, @cacheCreation, @cacheRead, @requests, 0)
     ON CONFLICT (partner_id, period) DO UPDATE SET
       input_tokens = input_tokens + excluded.input_tokens,
       output_tokens = output_tokens + excluded.output_tokens,
       cache_creation_input_tokens = cache_creation_input_tokens + excluded.cache_creation_input_tokens,
       cache_read_input_tokens = cache_read_input_tokens + excluded.cache_read_input_tokens,
       requests = requests + excluded.requests,
       reserved_tokens = MAX(0, reserved_tokens - @released)`,
  );
  const insertLog = db.prepare(
    `INSERT INTO request_log (request_id, partner_id, model, stream, status, input_tokens, output_tokens,
       cache_creation_input_tokens, cache_read_input_tokens, started_at, finished_at, duration_ms)
     VALUES (@requestId, @partnerId, @model, @stream, @status, @inputTokens, @outputTokens,
       @cacheCreationInputTokens, @cacheReadInputTokens, @startedAt, @finishedAt, @durationMs)`,
  );
  const insertNotice = db.prepare<[string, string]>(
    'INSERT OR IGNORE INTO usage_limit_notices (partner_id, period) VALUES (?, ?)',
  );

  const admitTx = db.transaction((r: AdmissionRequest): Admission => {
    const usage = usageOf.get(r.partnerId, r.period) ?? { used: 0, reserved: 0 };
    const committed = usage.used + usage.reserved + r.worstCase;
    const left = (tokens: number) => (r.tokenLimit === null ? null : Math.max(0, r.tokenLimit - tokens));
    if (r.tokenLimit !== null && committed > r.tokenLimit) {
      return { admitted: false, reason: 'token_limit', tokensRemaining: left(usage.used + usage.reserved) };
    }

    const expired = expire.run(r.partnerId, r.nowMs - r.windowMs).changes;
    const count = Math.max(0, (windowCount.get(r.partnerId)?.n ?? 0) - expired);
    if (count >= r.requestsPerWindow) {
      setWindowCount.run(r.partnerId, count);
      // After a lowered limit the window may hold more than N: one more fits once count − N + 1 have left.
      const leaving = nthOldest.get(r.partnerId, count - r.requestsPerWindow);
      return {
        admitted: false,
        reason: 'rate_limit',
        retryAtMs: (leaving?.at ?? r.nowMs) + r.windowMs,
        tokensRemaining: left(usage.used + usage.reserved),
      };
    }
    setWindowCount.run(r.partnerId, count + 1);
    insertWindow.run(r.partnerId, r.nowMs, r.requestId);
    reserveUsage.run(r.partnerId, r.period, r.worstCase);
    return { admitted: true, tokensRemaining: left(committed) };
  });

  const settleTx = db.transaction((s: Settlement) => {
    const { log } = s;
    addUsage.run({
      partnerId: log.partnerId,
      period: s.period,
      input: s.forwarded ? log.inputTokens : 0,
      output: s.forwarded ? log.outputTokens : 0,
      cacheCreation: s.forwarded ? log.cacheCreationInputTokens : 0,
      cacheRead: s.forwarded ? log.cacheReadInputTokens : 0,
      requests: s.forwarded ? 1 : 0,
      released: s.reserved,
    });
    insertLog.run({ ...log, stream: log.stream ? 1 : 0 });
  });

  const release = db.prepare('UPDATE usage SET reserved_tokens = 0 WHERE reserved_tokens <> 0');

  const noticeTx = db.transaction((partnerId: string, period: string, audit: Parameters<typeof insertAudit>[1]) => {
    if (insertNotice.run(partnerId, period).changes === 0) return false;
    insertAudit(db, audit);
    return true;
  });

  return {
    async admit(request) {
      return admitTx.immediate(request);
    },
    async settle(settlement) {
      settleTx.immediate(settlement);
    },
    async releaseAllReservations() {
      release.run();
    },
    async noteLimitReached(partnerId, period, audit) {
      return noticeTx.immediate(partnerId, period, audit);
    },
  };
}
