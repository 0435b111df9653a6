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
// The stamps the fake upstream writes: message_start's id (`"id":"msg_bench_<ns>"`) and each
// text delta (`"text":"t<ns> "`). This client is one of three processes sharing two cores, so
// its own CPU shows up as lag on every path alike: it reads the answer through an undici
// dispatch handler (no Readable, no async iteration) and finds stamps and event ends on the
// raw bytes, turning only the digits of each stamp into a number.
const STAMPS = [Buffer.from('"id":"msg_bench_'), Buffer.from('"text":"t')];
const EVENT_END = Buffer.from('\n\n');
const MESSAGE_STOP = Buffer.from('event: message_stop\n');
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Send stamps (ns) in buf[from, to). */
function stampsIn(buf, from, to, out) {
  for (const marker of STAMPS) {
    for (let at = buf.indexOf(marker, from); at !== -1 && at < to; at = buf.indexOf(marker, at + 1)) {
      let end = at + marker.length;
      while (end < to && buf[end] >= DIGIT_0 && buf[end] <= DIGIT_9) end += 1;
      out.push(BigInt(buf.latin1Slice(at + marker.length, end)));
    }
  }
}

function oneStream(pool, headers, body, record) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let status = 0;
    let firstByte = null;
    let pending = null; // bytes after the last complete event: an event split across chunks counts with the chunk that ends it
    let events = 0;
    let lastComplete = false;
    const lags = [];
    const errorBody = [];
    pool.dispatch(
      { path: '/v1/messages', method: 'POST', headers, body },
      {
        onRequestStart() {},
        onResponseStart(_c, statusCode) {
          status = statusCode;
        },
        onResponseData(_c, chunk) {
          if (status !== 200) {
            errorBody.push(chunk);
            return;
          }
          const arrival = process.hrtime.bigint();
          firstByte ??= arrival;
          const buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
          const end = buf.lastIndexOf(EVENT_END);
          if (end === -1) {
            pending = buf;
            return;
          }
          const stamps = [];
          stampsIn(buf, 0, end, stamps);
          for (const sent of stamps) lags.push(nsToMs(arrival - sent));
          let lastStart = 0;
          for (let at = buf.indexOf(EVENT_END); at !== -1 && at <= end; at = buf.indexOf(EVENT_END, at + 2)) {
            events += 1;
            if (at < end) lastStart = at + 2;
          }
          lastComplete = buf.subarray(lastStart, lastStart + MESSAGE_STOP.length).equals(MESSAGE_STOP);
          pending = end + 2 < buf.length ? buf.subarray(end + 2) : null;
        },
        onResponseEnd() {
          if (status !== 200) {
            reject(new Error(`stream status ${status}: ${Buffer.concat(errorBody).toString('utf8').slice(0, 300)}`));
            return;
          }
          record({ ttfb: nsToMs(firstByte - start), lags, events, complete: lastComplete && pending === null });
          resolve();
        },
        onResponseError(_c, error) {
          reject(error);
        },
      },
    );
  });
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
