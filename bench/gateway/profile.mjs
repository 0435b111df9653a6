/**
 * Where the gateway's time goes: runs it (governance on or off) under `node --cpu-prof` with
 * autocannon at concurrency 50 for DURATION seconds, or 250 SSE streams with `--sse`, then
 * prints the profile's summary. The profile lands in bench/gateway/results/profiles/.
 *
 *   node bench/gateway/profile.mjs [--sse] [--governance-off] [--duration 15] [--connections 50]
 */
import { mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { ROOT, startGateway, startUpstream } from './lib/children.mjs';
import { createPartners, newAdminKey } from './lib/partners.mjs';
import { measureStreams } from './lib/sse.mjs';
import { runCannon } from './lib/throughput.mjs';

const args = process.argv.slice(2);
const sse = args.includes('--sse');
const governance = !args.includes('--governance-off');
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const duration = option('--duration', 15);
const connections = option('--connections', 50);
const dir = `${ROOT}bench/gateway/results/profiles`;
mkdirSync(dir, { recursive: true });

const upstream = await startUpstream({ FAKE_DELAY_MS: '5' });
const adminKey = newAdminKey();
const gateway = await startGateway({ upstreamUrl: upstream.url, governance, adminKey, cpuProfDir: dir });
try {
  const keys = await createPartners(gateway.url, adminKey, 50);
  if (sse) {
    const result = await measureStreams({ url: gateway.url, apiKey: keys[0], concurrency: 250, durationMs: duration * 1000, rampMs: 1300, intervalMs: 20, expectedEvents: 64 });
    console.log(`SSE: ttfb p50 ${result.ttfb.p50} ms, lag p99 ${result.lag.p99} ms, ${result.streams} streams`);
  } else {
    const result = await runCannon({ url: gateway.url, apiKeys: keys, connections, duration });
    console.log(`c=${connections}: ${Math.round(result.rps)} req/s`);
  }
} finally {
  await gateway.stop(); // SIGTERM: the child exits cleanly, so V8 writes the profile
  await upstream.stop();
}
execFileSync(process.execPath, [`${ROOT}bench/gateway/profile-summary.mjs`], { stdio: 'inherit' });
