/**
 * CPU cost per request of each proxy at concurrency 50: user+system CPU time (/proc/<pid>/stat)
 * of the proxy process divided by the requests it served. On 2 shared cores throughput is set by
 * the whole machine's CPU per request, so this is the number to lower; unlike a sampling profile
 * it does not count time a process spent runnable but waiting for a core. With `--sse`, the
 * load is target (c)'s instead (250 streams of 64 events) and the cost is per stream.
 *
 *   node bench/gateway/cpu-per-request.mjs [--sse] [--duration 10] [--only bare,off,on]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { startBareProxy, startGateway, startUpstream } from './lib/children.mjs';
import { createPartners, newAdminKey } from './lib/partners.mjs';
import { measureStreams } from './lib/sse.mjs';
import { runCannon } from './lib/throughput.mjs';

const args = process.argv.slice(2);
const duration = args.includes('--duration') ? Number(args[args.indexOf('--duration') + 1]) : 10;
const sse = args.includes('--sse');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : ['bare', 'off', 'on'];

function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]) * 10, system: Number(f[12]) * 10 }; // USER_HZ = 100
}
const total = (t) => t.user + t.system;
/** CPU ms of the main thread (tid = pid) and of all other threads (/proc/<pid>/task). */
function threadsMs(pid) {
  const out = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = tid === String(pid) ? 'main' : 'other threads';
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      // the thread ended
    }
  }
  return out;
}

const upstream = await startUpstream({ FAKE_DELAY_MS: '5' });
try {
  for (const name of only) {
    const adminKey = newAdminKey();
    const proxy = name === 'bare' ? await startBareProxy(upstream.url) : await startGateway({ upstreamUrl: upstream.url, governance: name === 'on', adminKey });
    try {
      const keys = name === 'bare' ? ['sk-ant-none'] : await createPartners(proxy.url, adminKey, 50);
      // Streams finished per run (their cost is per stream), or requests answered.
      const load = sse
        ? async (seconds) => {
            const s = await measureStreams({ url: proxy.url, apiKey: keys[0], concurrency: 250, durationMs: seconds * 1000, rampMs: 1300, intervalMs: 20, expectedEvents: 64 });
            return { total: s.streams, rps: s.streams / seconds, note: `lag p99 ${s.lag.p99} ms, ttfb p50 ${s.ttfb.p50} ms` };
          }
        : (seconds) => runCannon({ url: proxy.url, apiKeys: keys, connections: 50, duration: seconds });
      await load(3);
      const p0 = cpuMs(proxy.pid);
      const u0 = cpuMs(upstream.pid);
      const s0 = process.cpuUsage();
      const t0 = threadsMs(proxy.pid);
      const r = await load(duration);
      const s = process.cpuUsage(s0);
      const p1 = cpuMs(proxy.pid);
      const t1 = threadsMs(proxy.pid);
      const per = (ms) => ((ms * 1000) / r.total).toFixed(1);
      console.log(
        `${name.padEnd(4)} ${Math.round(r.rps)} ${sse ? 'streams' : 'req'}/s${r.note ? ` (${r.note})` : ''}; CPU µs/${sse ? 'stream' : 'req'}: proxy ${per(total(p1) - total(p0))} (kernel ${per(p1.system - p0.system)}), ` +
          `upstream ${per(total(cpuMs(upstream.pid)) - total(u0))}, load generator ${per((s.user + s.system) / 1000)}`,
      );
      console.log(`     by thread (µs/${sse ? 'stream' : 'req'}):`, Object.entries(t1).map(([n, ms]) => `${n} ${per(ms - (t0[n] ?? 0))}`).join(', '));
    } finally {
      await proxy.stop();
    }
  }
} finally {
  await upstream.stop();
}
