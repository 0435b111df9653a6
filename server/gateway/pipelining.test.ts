/**
 * Streamed answers to pipelined requests (several requests sent on one connection before any
 * answer), over raw HTTP against a fake Anthropic API. Node queues each answer until the one
 * before it has finished, which gives the relay two situations a lone request never meets:
 * - a write to a queued answer can make Node emit 'drain' on the answer that owns the socket,
 *   in the same call stack, i.e. while another upstream connection's parser is running;
 * - a client that leaves closes the socket, but a queued answer gets no 'close' of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../test/fakes/anthropic-upstream';
import { createPartner, expectWholeStream, streamed, streamScript, usageOf } from '../test-support/gateway';
import { removeTempDirs, startHarness, type Harness } from '../test-support/harness';
import { messagesRequest, pipelined, pipelinedThenLeave } from '../test-support/raw-http';

const OWNER_KEY = 'sk-ant-api03-owner-secret-key-for-tests-2222222222';
let fake: FakeUpstream;

beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
  removeTempDirs();
});

const upstream = () => ({ upstream: 'anthropic' as const, upstreamUrl: fake.url, upstreamApiKey: OWNER_KEY });

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function history(h: Harness, key: string): Promise<Record<string, unknown>[]> {
  return ((await h.call('GET', '/v1/messages/history', { key })).body as { data: Record<string, unknown>[] }).data;
}

describe('pipelined streamed requests', () => {
  it("a queued answer's writes waking the answer that owns the socket do not stall it: all three arrive whole and are metered", async () => {
    const h = await startHarness(upstream());
    try {
      const p = await createPartner(h);
      // First: 300 ms of events, so the second starts queued (writing through its response, not
      // the socket). Second: megabytes, so once it owns the socket, with the client reading
      // nothing, it waits for 'drain'. Third: an event every 10 ms, each written to its queued
      // answer meanwhile (and each such write makes Node re-check the owner's 'drain').
      fake.forModel('pipe-first', streamScript(30, 10, 1, 2, 10));
      fake.forModel('pipe-big', streamScript(800, 8000, 10, 20));
      fake.forModel('pipe-ticking', streamScript(150, 10, 100, 200, 10));
      const requests = ['pipe-first', 'pipe-big', 'pipe-ticking'].map((model) => messagesRequest(p.key, streamed(model)));
      const run = await pipelined(h.server.port, requests, 3, { readAfterMs: 1000, deadlineMs: 15_000 });
      expect(run.responses.length).toBe(3);
      expectWholeStream(run.responses[0], 30);
      expectWholeStream(run.responses[1], 800);
      expectWholeStream(run.responses[2], 150);
      expect(await usageOf(h, p.id)).toMatchObject({ input_tokens: 111, output_tokens: 222, requests: 3 });
    } finally {
      await h.stop();
    }
  });

  it('a queued answer whose client left before its turn is read to its end and metered (499), and close() completes', async () => {
    const h = await startHarness(upstream());
    try {
      const p = await createPartner(h);
      // The first streams slowly; the second is far more than Node will hold for a queued answer
      // (16 KiB) before its writes report a full buffer.
      fake.forModel('leave-slow', streamScript(100, 10, 1, 2, 10));
      fake.forModel('leave-queued', streamScript(400, 1000, 30, 40));
      const requests = ['leave-slow', 'leave-queued'].map((model) => messagesRequest(p.key, streamed(model)));
      await pipelinedThenLeave(h.server.port, requests, 2000);
      await waitFor(async () => (await history(h, p.key)).length === 2, 10_000);
      const rows = (await history(h, p.key)).map((row) => [row.model, row.status, row.input_tokens, row.output_tokens]);
      expect(rows.sort()).toEqual([
        ['leave-queued', 499, 30, 40],
        ['leave-slow', 499, 1, 2],
      ]);
      expect(await usageOf(h, p.id)).toMatchObject({ input_tokens: 31, output_tokens: 42, requests: 2 });
    } finally {
      await h.stop();
    }
  });
});
