/**
 * Target (a)'s tail with and without server/request-thread-slice.ts: the same gateway (governance
 * on) twice, once as the CLI starts it (the request thread's scheduler slice 0.1 ms) and once
 * with the default slice, measured in alternating blocks at concurrency 1 against the direct
 * upstream and the bare proxy, several rounds, so a difference is the change's and not the
 * machine's. Each gateway's slice is read back from /proc before measuring.
 *
 *   node bench/gateway/slice-ab.mjs [--rounds 3] [--requests 3000]
 * To see it on a busy machine, pin everything to one core beside a busy loop:
 *   taskset -c 1 node -e 'for(;;){}' & taskset -c 1 node bench/gateway/slice-ab.mjs --rounds 2 --requests 1000; kill %1
 */
import { readFileSync } from 'node:fs';
import { startBareProxy, startGateway, startUpstream } from './lib/children.mjs';
import { measureLatency } from './lib/latency.mjs';
import { createPartners, newAdminKey } from './lib/partners.mjs';
import { round } from './lib/stats.mjs';

const args = process.argv.slice(2);
function option(name, fallback) {
  if (!args.includes(name)) return fallback;
  const value = Number(args[args.indexOf(name) + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a whole number ≥ 1`);
  return value;
}
const rounds = option('--rounds', 3);
const requests = option('--requests', 3000);

/** The main thread's slice in ms, from /proc/<pid>/sched (Linux 6.6+ prints se.slice in ns). */
function sliceMs(pid) {
  const match = /^se\.slice\s+:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/sched`, 'utf8'));
  return match ? Number(match[1]) / 1e6 : NaN;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const upstream = await startUpstream({ FAKE_DELAY_MS: '5' });
const children = [upstream];
try {
  const bare = await startBareProxy(upstream.url);
  children.push(bare);
  const targets = [
    { name: 'direct', url: upstream.url, apiKey: 'sk-ant-none' },
    { name: 'bare', url: bare.url, apiKey: 'sk-ant-none' },
  ];
  const labels = [];
  for (const ownsProcess of [true, false]) {
    const adminKey = newAdminKey();
    const gateway = await startGateway({ upstreamUrl: upstream.url, governance: true, adminKey, ownsProcess });
    children.push(gateway);
    const [apiKey] = await createPartners(gateway.url, adminKey, 1);
    await sleep(500); // the slice is set in the background at start
    const label = `gateway, slice ${sliceMs(gateway.pid)} ms${ownsProcess ? ' (as shipped)' : ''}`;
    labels.push(label);
    targets.push({ name: label, url: gateway.url, apiKey });
  }
  console.log(`| round | added p50 / p99 (ms): bare proxy | ${labels.join(' | ')} |`);
  console.log(`|---|---|${labels.map(() => '---|').join('')}`);
  for (let i = 1; i <= rounds; i += 1) {
    const r = await measureLatency(targets, { requests, warmup: 300 });
    const added = (name) => `${round(r[name].p50 - r.direct.p50)} / ${round(r[name].p99 - r.direct.p99)}`;
    console.log(`| ${i} | ${added('bare')} | ${labels.map(added).join(' | ')} |`);
  }
} finally {
  await Promise.all(children.map((c) => c.stop()));
}
