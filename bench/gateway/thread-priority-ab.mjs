/**
 * Target (a)'s tail with and without server/thread-priority.ts: the same gateway (governance on)
 * twice, once with V8's helper threads SCHED_IDLE (as the CLI runs it) and once with them left at
 * the normal policy, measured in alternating blocks at concurrency 1 against the direct upstream
 * and the bare proxy, several rounds, so a difference is the change's and not the machine's.
 *
 *   node bench/gateway/thread-priority-ab.mjs [--rounds 3] [--requests 3000]
 */
import { startBareProxy, startGateway, startUpstream } from './lib/children.mjs';
import { measureLatency } from './lib/latency.mjs';
import { createPartners, newAdminKey } from './lib/partners.mjs';
import { round } from './lib/stats.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const rounds = option('--rounds', 3);
const requests = option('--requests', 3000);

const upstream = await startUpstream({ FAKE_DELAY_MS: '5' });
const children = [upstream];
try {
  const bare = await startBareProxy(upstream.url);
  children.push(bare);
  const targets = [
    { name: 'direct', url: upstream.url, apiKey: 'sk-ant-none' },
    { name: 'bare', url: bare.url, apiKey: 'sk-ant-none' },
  ];
  for (const helpersIdle of [true, false]) {
    const adminKey = newAdminKey();
    const gateway = await startGateway({ upstreamUrl: upstream.url, governance: true, adminKey, helpersIdle });
    children.push(gateway);
    const [apiKey] = await createPartners(gateway.url, adminKey, 1);
    targets.push({ name: helpersIdle ? 'helpers idle' : 'helpers normal', url: gateway.url, apiKey });
  }
  console.log(`| round | added p50 / p99 (ms): bare proxy | gateway, helpers SCHED_IDLE | gateway, helpers normal |`);
  console.log('|---|---|---|---|');
  for (let i = 1; i <= rounds; i += 1) {
    const r = await measureLatency(targets, { requests, warmup: 300 });
    const added = (name) => `${round(r[name].p50 - r.direct.p50)} / ${round(r[name].p99 - r.direct.p99)}`;
    console.log(`| ${i} | ${added('bare')} | ${added('helpers idle')} | ${added('helpers normal')} |`);
  }
} finally {
  await Promise.all(children.map((c) => c.stop()));
}
