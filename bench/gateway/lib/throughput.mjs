/**
 * Target (b): throughput at concurrency 50 with autocannon (in the runner's process; the servers
 * are children). Each connection uses its own partner key so a partner's requests-per-minute
 * limit (100,000) is checked on every request yet never reached, whatever the rate.
 */
import autocannon from 'autocannon';
import { messagesBody, messagesHeaders } from './partners.mjs';

/** One autocannon run; returns { rps, latency p50/p99 (ms, whole-ms resolution), counts }. */
export async function runCannon({ url, apiKeys, connections, duration }) {
  let next = 0;
  const result = await autocannon({
    url: `${url}/v1/messages`,
    method: 'POST',
    connections,
    duration,
    body: messagesBody(false),
    headers: messagesHeaders(apiKeys[0]),
    setupClient(client) {
      client.setHeaders(messagesHeaders(apiKeys[next++ % apiKeys.length]));
    },
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts in ${result.requests.total} requests`);
  return {
    rps: result.requests.average,
    total: result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
  };
}

/**
 * Runs every target `repeats` times round-robin (so drift hits all alike) after one warm-up
 * run each; returns { [name]: { runs, medianRps } }.
 */
export async function measureThroughput(targets, { connections, duration, warmup, repeats, onRun = () => {} }) {
  for (const t of targets) await runCannon({ ...t, connections, duration: warmup });
  const runs = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (let r = 0; r < repeats; r += 1) {
    for (const t of targets) {
      const run = await runCannon({ ...t, connections, duration });
      runs[t.name].push(run);
      onRun(t.name, r, run);
    }
  }
  return Object.fromEntries(
    Object.entries(runs).map(([name, list]) => {
      const sorted = [...list].sort((a, b) => a.rps - b.rps);
      return [name, { runs: list, medianRps: sorted[Math.floor(sorted.length / 2)].rps }];
    }),
  );
}
