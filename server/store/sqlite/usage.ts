/**
 * SQLite implementation of the usage and request-log reads. Settlements are written behind
 * (./write-behind.ts): every read flushes the queue first, so an answer that has ended is counted.
 */
import type Database from 'better-sqlite3';
import type { RequestLogRecord, RequestLogRepository, UsageRepository, UsageTotals } from '../gateway-types';
import type { PageRequest, PageResult } from '../types';
import type { WriteBehind } from './write-behind';
import { keysetPage, rowsToFetch } from './keyset-page';

interface UsageRow {
  partner_id: string;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  requests: number;
}

const ZERO: UsageTotals = { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0, requests: 0 };

const totals = (r: UsageRow): UsageTotals => ({
  inputTokens: r.input_tokens,
  outputTokens: r.output_tokens,
  cacheCreationInputTokens: r.cache_creation_input_tokens,
  cacheReadInputTokens: r.cache_read_input_tokens,
  requests: r.requests,
});

const USAGE_COLUMNS = `partner_id, input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens, requests`;

export function sqliteUsage(db: Database.Database, writes: WriteBehind): UsageRepository {
  const one = db.prepare<[string, string], UsageRow>(`SELECT ${USAGE_COLUMNS} FROM usage WHERE partner_id = ? AND period = ?`);
  // json_each takes the whole page of IDs as one bound parameter: one statement, whatever the page size.
  const many = db.prepare<[string, string], UsageRow>(
    `SELECT ${USAGE_COLUMNS} FROM usage WHERE period = ? AND partner_id IN (SELECT value FROM json_each(?))`,
  );
  return {
    async get(partnerId, period) {
      writes.flushForRead();
      const row = one.get(partnerId, period);
      return row ? totals(row) : { ...ZERO };
    },
    async getMany(partnerIds, period) {
      const out = new Map<string, UsageTotals>();
      if (partnerIds.length === 0) return out;
      writes.flushForRead();
      for (const row of many.all(period, JSON.stringify(partnerIds))) out.set(row.partner_id, totals(row));
      return out;
    },
  };
}

interface LogRow {
  request_id: string;
  partner_id: string;
  model: string | null;
  stream: number;
  status: number;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  started_at: string;
  finished_at: string;
  duration_ms: number;
}

const LOG_COLUMNS = `request_id, partner_id, model, stream, status, input_tokens, output_tokens,
  cache_creation_input_tokens, cache_read_input_tokens, started_at, finished_at, duration_ms`;

const logRecord = (r: LogRow): RequestLogRecord => ({
  requestId: r.request_id,
  partnerId: r.partner_id,
  model: r.model,
  stream: r.stream === 1,
  status: r.status,
  inputTokens: r.input_tokens,
  outputTokens: r.output_tokens,
  cacheCreationInputTokens: r.cache_creation_input_tokens,
  cacheReadInputTokens: r.cache_read_input_tokens,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  durationMs: r.duration_ms,
});

export function sqliteRequestLog(db: Database.Database, writes: WriteBehind): RequestLogRepository {
  const seqOf = db.prepare<[string, string], { seq: number }>('SELECT seq FROM request_log WHERE request_id = ? AND partner_id = ?');
  const newest = db.prepare<[string, number], LogRow>(
    `SELECT ${LOG_COLUMNS} FROM request_log WHERE partner_id = ? ORDER BY seq DESC LIMIT ?`,
  );
  const older = db.prepare<[string, number, number], LogRow>(
    `SELECT ${LOG_COLUMNS} FROM request_log WHERE partner_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
  );
  const newer = db.prepare<[string, number, number], LogRow>(
    `SELECT ${LOG_COLUMNS} FROM request_log WHERE partner_id = ? AND seq > ? ORDER BY seq ASC LIMIT ?`,
  );

  const listTx = db.transaction((partnerId: string, page: PageRequest): PageResult<RequestLogRecord> | null => {
    const cursor = page.afterId ?? page.beforeId;
    const take = rowsToFetch(page);
    let rows: LogRow[];
    if (cursor === undefined) {
      rows = newest.all(partnerId, take);
    } else {
      const found = seqOf.get(cursor, partnerId);
      if (!found) return null;
      rows = page.afterId !== undefined ? older.all(partnerId, found.seq, take) : newer.all(partnerId, found.seq, take).reverse();
    }
    return keysetPage(rows, page, logRecord);
  });

  return {
    async list(partnerId, page) {
      writes.flushForRead();
      return listTx(partnerId, page);
    },
  };
}
