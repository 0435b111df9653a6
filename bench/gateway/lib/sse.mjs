/**
 * Target (c): `concurrency` SSE streams kept open at once for `durationMs` (a stream that ends
 * is replaced at once), first opened evenly over `rampMs` so they do not tick in lockstep.
 * Per stream: time to first body byte. Per event: its lag, arrival time minus the send time the
 * fake upstream stamped into it (both process.hrtime.bigint(), the machine-wide monotonic
 * clock). Events parsed out of one chunk share that chunk's arrival time, so a relay that
 * buffers shows up as lag. An event lagging a whole interval or more was held until the next
 * one was due: that is counted as buffering. Only streams opened after the ramp are measured.
 */
import { Pool } from 'undici';
import { messagesBody, messagesHeaders } from './partners.mjs';
import { summary } from './stats.mjs';

const nsToMs = (ns) => Number(ns) / 1e6;
// The stamps the fake upstream writes: message_start's id and each text delta. Matching them
// with a regex instead of parsing every event keeps this client's own CPU cost (which would
// show up as lag on both paths alike) low.
const STAMP = /"id":"msg_bench_(\d+)"|"text":"t(\d+) "/g;

async function oneStream(pool, headers, body, record) {
  const start = process.hrtime.bigint();
  const res = await pool.request({ path: '/v1/messages', method: 'POST', headers, body });
  if (res.statusCode !== 200) throw new Error(`stream status ${res.statusCode}: ${(await res.body.text()).slice(0, 300)}`);
  let firstByte = null;
  let pending = ''; // an event split across chunks is complete only with the chunk that ends it
  let events = 0;
  let last = '';
  const lags = [];
  const decoder = new TextDecoder();
  for await (const chunk of res.body) {
    const arrival = process.hrtime.bigint();
    firstByte ??= arrival;
    pending += decoder.decode(chunk, { stream: true });
    const end = pending.lastIndexOf('\n\n');
    if (end === -1) continue;
    const complete = pending.slice(0, end + 2);
    pending = pending.slice(end + 2);
    for (const m of complete.matchAll(STAMP)) lags.push(nsToMs(arrival - BigInt(m[1] ?? m[2])));
    const frames = complete.split('\n\n');
    events += frames.length - 1;
    last = frames.at(-2) ?? last;
  }
  record({ ttfb: nsToMs(firstByte - start), lags, events, complete: last.startsWith('event: message_stop\n') });
}

/** Returns ttfb and lag summaries (ms), stream/event counts, buffered events, peak concurrency. */
export async function measureStreams({ url, apiKey, concurrency, durationMs, rampMs, intervalMs, expectedEvents }) {
  const pool = new Pool(url, { connections: concurrency + 10, keepAliveTimeout: 60_000 });
  const headers = messagesHeaders(apiKey);
  const body = messagesBody(true);
  const t0 = performance.now();
  const measured = { ttfb: [], lags: [], streams: 0, incomplete: 0 };
  let open = 0;
  let peak = 0;
  let failure = null;

  async function lane(delayMs) {
    await new Promise((r) => setTimeout(r, delayMs));
    while (performance.now() - t0 < durationMs + rampMs && !failure) {
      const opened = performance.now() - t0;
      open += 1;
      peak = Math.max(peak, open);
      try {
        await oneStream(pool, headers, body, (s) => {
          if (opened < rampMs) return; // still ramping up: not yet `concurrency` streams in flight
          measured.streams += 1;
          measured.ttfb.push(s.ttfb);
          for (const lag of s.lags) measured.lags.push(lag);
          if (!s.complete || s.events !== expectedEvents) measured.incomplete += 1;
        });
      } catch (error) {
        failure ??= error;
      } finally {
        open -= 1;
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, (_, i) => lane((i * rampMs) / concurrency)));
  await pool.close();
  if (failure) throw failure;
  return {
    streams: measured.streams,
    incomplete: measured.incomplete,
    peakConcurrency: peak,
    ttfb: summary(measured.ttfb),
    lag: summary(measured.lags),
    bufferedEvents: measured.lags.filter((l) => l >= intervalMs).length,
    timedEvents: measured.lags.length,
  };
}

/**
 * Several rounds of (direct, bare, gateway), each compared within its round (same machine
 * conditions): the added figures are the medians over rounds of gateway − direct, and the
 * per-target figures shown are those of the round with the median added lag.
 */
export function sseSummary(rounds) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const addedLag = rounds.map((r) => r.gateway.lag.p99 - r.direct.lag.p99);
  const addedTtfb = rounds.map((r) => r.gateway.ttfb.p50 - r.direct.ttfb.p50);
  const shown = rounds[addedLag.indexOf(median(addedLag))];
  return {
    ...shown,
    rounds,
    addedLagP99: median(addedLag),
    addedTtfbP50: median(addedTtfb),
    incomplete: rounds.reduce((n, r) => n + r.gateway.incomplete, 0),
  };
}
