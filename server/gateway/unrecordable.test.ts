/**
 * The gateway while usage cannot be written: a real SQLite failure (the database file locked by
 * another connection for longer than the writer's busy timeout), end to end over HTTP. The usage
 * already answered is held and lands once the lock goes; meanwhile nothing is forwarded.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_RETRY_SECONDS } from '../http/errors';
import { unrecordableMessage } from './admission';
import { createPartner, messageBody, usageOf } from '../test-support/gateway';
import { expectError, removeTempDirs, startHarness, tempDir, type Harness } from '../test-support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
  removeTempDirs();
});

const LOCKED = 'database is locked (SQLITE_BUSY)';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  for (const start = Date.now(); !done(); await sleep(50)) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
  }
}

const logged = (event: string) => h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === event);

describe('usage that cannot be written', () => {
  it('refuses with a 500 and retry-after while usage is held, then meters everything once storage works again', async () => {
    const p = await createPartner(h);
    const send = () => h.call('POST', '/v1/messages', { key: p.key, body: messageBody() });
    // Once before the trouble: the partner's month is loaded, nothing of it is left to read.
    const before = await send();
    expect(before.status).toBe(200);
    await usageOf(h, p.id);
    const blocker = new Database(join(h.dataDir, 'partners.db'));
    let first: Awaited<ReturnType<typeof send>>;
    try {
      // Another writer holds the file: the writer thread's commit waits out busy_timeout (5 s), fails.
      blocker.exec('BEGIN IMMEDIATE');
      first = await send();
      expect(first.status).toBe(200);
      await until('the failed commit to be reported', () => logged('error').length > 0, 15_000);

      const refused = await send();
      expectError(refused, 500, 'api_error', unrecordableMessage(LOCKED));
      expect(refused.headers.get('retry-after')).toBe(String(STORAGE_RETRY_SECONDS));

      // Meanwhile: usage cannot be read exactly (it would leave out the held answer), so it is
      // refused, not undercounted; partners can be read; a write fails whole, saying why.
      const usage = await h.call('GET', `/v1/partners/${p.id}/usage`);
      expectError(usage, 500, 'api_error', `the server cannot record usage right now (${LOCKED}); usage cannot be read exactly until it can`);
      expect(usage.headers.get('retry-after')).toBe(String(STORAGE_RETRY_SECONDS));
      const listed = await h.call('GET', '/v1/partners');
      expect(listed.status).toBe(200);
      const created = await h.call('POST', '/v1/partners', { body: { name: 'During the lock', permissions: ['messages:write'] } });
      expectError(created, 500, 'api_error', `the server cannot write to its database right now (${LOCKED}); nothing was changed`);
      expect(created.headers.get('retry-after')).toBe(String(STORAGE_RETRY_SECONDS));
      expect((listed.body as { data: unknown[] }).data).toHaveLength(1);
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    await until('the held usage to reach the file', () => logged('recovered').length > 0, 15_000);
    expect(logged('error').map((l) => l.error)).toEqual([
      `a queued store write failed: cannot record usage: ${LOCKED}; the rows are kept and retried every 1 s`,
      `the server cannot write to its database right now (${LOCKED}); nothing was changed`,
    ]);
    expect(logged('recovered').map((l) => l.message)).toEqual([`usage is recorded again (the storage failed with: ${LOCKED})`]);

    const after = await h.call('GET', '/v1/partners');
    expect((after.body as { data: { name: string }[] }).data.map((x) => x.name)).toEqual(['Gateway test']);
    const last = await send();
    expect(last.status).toBe(200);
    // Before, the held one and the one after recovery; the refused one was never forwarded.
    const reported = [before, first, last].map((a) => (a.body as { usage: { input_tokens: number; output_tokens: number } }).usage);
    const sum = (key: 'input_tokens' | 'output_tokens') => reported.reduce((n, u) => n + u[key], 0);
    expect(await usageOf(h, p.id)).toMatchObject({ requests: 3, input_tokens: sum('input_tokens'), output_tokens: sum('output_tokens') });
  }, 40_000);

  it('a stop while usage is held keeps retrying it, so a lock that clears during the stop loses nothing', async () => {
    const dataDir = tempDir();
    const first = await startHarness({ dataDir });
    const p = await createPartner(first);
    const send = () => first.call('POST', '/v1/messages', { key: p.key, body: messageBody() });
    const before = await send();
    await usageOf(first, p.id);
    const blocker = new Database(join(dataDir, 'partners.db'));
    blocker.exec('BEGIN IMMEDIATE');
    const held = await send();
    expect(held.status).toBe(200);
    const errors = () => first.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'error');
    await until('the failed commit to be reported', () => errors().length > 0, 15_000);

    const stopping = first.stop();
    await sleep(300);
    blocker.exec('ROLLBACK');
    blocker.close();
    await stopping;
    expect(errors().map((l) => l.error)).toEqual([`a queued store write failed: cannot record usage: ${LOCKED}; the rows are kept and retried every 1 s`]);
    const notices = first.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'notice');
    expect(notices.map((l) => l.message)).toEqual([`closing while usage waits for storage (${LOCKED}); retrying for up to 30 s`]);

    const again = await startHarness({ dataDir, adminKey: first.adminKey });
    try {
      const reported = [before, held].map((a) => (a.body as { usage: { input_tokens: number } }).usage.input_tokens);
      expect(await usageOf(again, p.id)).toMatchObject({ requests: 2, input_tokens: reported[0]! + reported[1]! });
    } finally {
      await again.stop();
    }
  }, 40_000);
});
