/**
 * Malformed HTTP over raw sockets: answered in the API's error shape, never inside an answer
 * already under way on the same connection (a client that pipelines, then sends garbage).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../test/fakes/anthropic-upstream';
import { createPartner, expectWholeStream, streamed, streamScript, usageOf } from '../test-support/gateway';
import { REQUEST_ID, removeTempDirs, startHarness } from '../test-support/harness';
import { messagesRequest, parseResponses, sendUntilClosed, type RawResponse } from '../test-support/raw-http';

const OWNER_KEY = 'sk-ant-api03-owner-secret-key-for-tests-3333333333';
let fake: FakeUpstream;

beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
  removeTempDirs();
});

const upstream = () => ({ upstream: 'anthropic' as const, upstreamUrl: fake.url, upstreamApiKey: OWNER_KEY });

describe('malformed HTTP on a connection', () => {
  const GARBAGE = 'GARBAGE \x00\x01 nonsense\r\n\r\n';

  function expectBadRequest(response: RawResponse | undefined): void {
    expect(response?.status).toBe(400);
    expect(response!.headers['request-id']).toMatch(REQUEST_ID);
    expect(JSON.parse(response!.body.toString())).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'malformed HTTP request' },
      request_id: response!.headers['request-id'],
    });
  }

  it('alone: answered 400 in the API error shape, and the connection is closed', async () => {
    const h = await startHarness(upstream());
    try {
      const { data, closed } = await sendUntilClosed(h.server.port, [{ afterMs: 0, bytes: GARBAGE }], 5000);
      expect(closed).toBe(true);
      const { responses, rest } = parseResponses(data);
      expect(responses.length).toBe(1);
      expectBadRequest(responses[0]);
      expect(rest.length).toBe(0);
    } finally {
      await h.stop();
    }
  });

  /** An authenticated request's headers and 1 of its 100 body bytes: the route waits for the rest. */
  const partialBody = (key: string) =>
    `POST /v1/partners HTTP/1.1\r\nHost: x\r\nx-api-key: ${key}\r\nanthropic-version: 2023-06-01\r\n` +
    'content-type: application/json\r\ncontent-length: 100\r\n\r\n{';

  it('a body cut short by the client: the connection is closed, and the server still stops at once', async () => {
    const h = await startHarness(upstream());
    let stopped = false;
    try {
      const { closed } = await sendUntilClosed(h.server.port, [{ afterMs: 0, bytes: partialBody(h.adminKey), end: true }], 3000);
      expect(closed).toBe(true);
      const t0 = Date.now();
      await h.stop();
      stopped = true;
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      if (!stopped) await h.stop();
    }
  });

  it('a body too slow to arrive: 408 in the API error shape once the request timeout passes, and the connection is closed', async () => {
    const h = await startHarness({ ...upstream(), requestTimeoutMs: 1000 });
    try {
      const t0 = Date.now();
      const trickle = [0, 300, 600, 900, 1200, 1500].map((afterMs) => ({ afterMs, bytes: afterMs === 0 ? partialBody(h.adminKey) : ' ' }));
      const { data, closed } = await sendUntilClosed(h.server.port, trickle, 5000);
      expect(closed).toBe(true);
      expect(Date.now() - t0).toBeLessThan(2500);
      const { responses, rest } = parseResponses(data);
      expect(responses.length).toBe(1);
      expect(responses[0]!.status).toBe(408);
      expect(JSON.parse(responses[0]!.body.toString())).toEqual({
        type: 'error',
        error: { type: 'invalid_request_error', message: 'the request did not arrive in time' },
        request_id: responses[0]!.headers['request-id'],
      });
      expect(rest.length).toBe(0);
    } finally {
      await h.stop();
    }
  });

  it('headers over 16 KiB: 431 in the API error shape', async () => {
    const h = await startHarness(upstream());
    try {
      const request = `GET /v1/partners HTTP/1.1\r\nHost: x\r\nx-padding: ${'a'.repeat(20_000)}\r\n\r\n`;
      const { data, closed } = await sendUntilClosed(h.server.port, [{ afterMs: 0, bytes: request }], 5000);
      expect(closed).toBe(true);
      const [response] = parseResponses(data).responses;
      expect(response?.status).toBe(431);
      expect(JSON.parse(response!.body.toString()).error).toEqual({ type: 'invalid_request_error', message: 'request headers too large: at most 16 KiB' });
    } finally {
      await h.stop();
    }
  });

  it('after requests still being answered (one streaming, one queued): their answers arrive whole first, then the 400', async () => {
    const h = await startHarness(upstream());
    try {
      const p = await createPartner(h);
      fake.forModel('garbage-streaming', streamScript(40, 10, 1, 2, 5));
      fake.forModel('garbage-queued', streamScript(10, 10, 3, 4));
      const first = messagesRequest(p.key, streamed('garbage-streaming'));
      const second = messagesRequest(p.key, streamed('garbage-queued'));
      // The garbage arrives while the first answer is mid-stream (40 events, 5 ms apart).
      const { data, closed } = await sendUntilClosed(
        h.server.port,
        [
          { afterMs: 0, bytes: Buffer.concat([first, second]) },
          { afterMs: 60, bytes: GARBAGE },
          { afterMs: 80, bytes: GARBAGE }, // more bytes on the broken parser: still one 400
        ],
        10_000,
      );
      expect(closed).toBe(true);
      const { responses, rest } = parseResponses(data);
      expect(responses.length).toBe(3);
      expectWholeStream(responses[0], 40);
      expectWholeStream(responses[1], 10);
      expectBadRequest(responses[2]);
      expect(rest.length).toBe(0);
      expect(await usageOf(h, p.id)).toMatchObject({ input_tokens: 4, output_tokens: 6, requests: 2 });
    } finally {
      await h.stop();
    }
  });
});
