/**
 * Target (a): added latency at concurrency 1. autocannon's latency histogram records whole
 * milliseconds, too coarse for a 1 ms budget, so this is a sequential undici client timing each
 * request with process.hrtime.bigint(), one keep-alive connection per target. Targets are
 * measured in alternating blocks so drift (thermal, other load) hits all of them alike.
 */
import { Pool } from 'undici';
import { messagesBody, messagesHeaders } from './partners.mjs';
import { summary } from './stats.mjs';

async function once(pool, headers, body) {
  const start = process.hrtime.bigint();
  const res = await pool.request({ path: '/v1/messages', method: 'POST', headers, body });
  await res.body.text();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode} from ${pool.url ?? 'target'}`);
  return ms;
}

/** targets: [{ name, url, apiKey }]; returns { [name]: summary(ms) } over `requests` each. */
export async function measureLatency(targets, { requests, warmup, block = 250 }) {
  const body = messagesBody(false);
  const lanes = targets.map((t) => ({ ...t, pool: new Pool(t.url, { connections: 1, keepAliveTimeout: 60_000 }), headers: messagesHeaders(t.apiKey), samples: [] }));
  try {
    for (const lane of lanes) for (let i = 0; i < warmup; i += 1) await once(lane.pool, lane.headers, body);
    for (let done = 0; done < requests; done += block) {
      const n = Math.min(block, requests - done);
      for (const lane of lanes) for (let i = 0; i < n; i += 1) lane.samples.push(await once(lane.pool, lane.headers, body));
    }
  } finally {
    await Promise.all(lanes.map((l) => l.pool.close()));
  }
  return Object.fromEntries(lanes.map((l) => [l.name, summary(l.samples)]));
}
