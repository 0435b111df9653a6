/**
 * Gateway benchmarks (issue 3 targets a–d). Everything on loopback, each server in its own
 * process: the fake upstream, a bare undici proxy, the gateway with governance on and with it
 * off; this process is the load generator.
 *
 *   node bench/gateway/run.mjs            full run, writes bench/gateway/results/<date>.json
 *   node bench/gateway/run.mjs --quick    short smoke run (numbers not meaningful), not saved
 * Where the time goes: bench/gateway/profile.mjs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { ROOT, startBareProxy, startGateway, startUpstream } from './lib/children.mjs';
import { startCpuAccount } from './lib/cpu.mjs';
import { measureLatency } from './lib/latency.mjs';
import { createPartners, newAdminKey } from './lib/partners.mjs';
import { checks, markdown } from './lib/report.mjs';
import { startRssSampler } from './lib/rss.mjs';
import { measureStreams, sseSummary } from './lib/sse.mjs';
import { measureThroughput } from './lib/throughput.mjs';

const quick = process.argv.includes('--quick');
const RESULTS = `${ROOT}bench/gateway/results/`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

const config = {
  upstreamDelayMs: 5,
  latency: { requests: quick ? 500 : 5000, warmup: quick ? 100 : 500 },
  throughput: { connections: 50, duration: quick ? 3 : 10, warmup: quick ? 1 : 3, repeats: quick ? 1 : 5 },
  sse: { concurrency: 250, events: 64, intervalMs: 20, durationMs: quick ? 3000 : 10_000, rampMs: 1300, rounds: quick ? 1 : 3 },
  memory: { sampleMs: 100, settleMs: 10_000, nearIdleMb: 30 },
};

function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, os: `${os.type()} ${os.release()}`, arch: os.arch() };
}

async function main() {
  const env = { FAKE_DELAY_MS: String(config.upstreamDelayMs), FAKE_SSE_EVENTS: String(config.sse.events), FAKE_SSE_INTERVAL_MS: String(config.sse.intervalMs) };
  const upstream = await startUpstream(env);
  const children = [upstream];
  try {
    const bare = await startBareProxy(upstream.url);
    children.push(bare);
    const onKey = newAdminKey();
    const offKey = newAdminKey();
    const gwOn = await startGateway({ upstreamUrl: upstream.url, governance: true, adminKey: onKey });
    children.push(gwOn);
    const gwOff = await startGateway({ upstreamUrl: upstream.url, governance: false, adminKey: offKey });
    children.push(gwOff);
    const onKeys = await createPartners(gwOn.url, onKey, config.throughput.connections);
    const offKeys = await createPartners(gwOff.url, offKey, config.throughput.connections);
    log(`upstream ${upstream.url}, bare proxy ${bare.url}, gateway on ${gwOn.url} (pid ${gwOn.pid}), off ${gwOff.url}`);

    await sleep(2000);
    const rss = startRssSampler(gwOn.pid, config.memory.sampleMs);
    const pids = [process.pid, ...children.map((c) => c.pid)];
    const cpu = {};
    const account = async (name, work) => {
      const end = startCpuAccount(pids, os.cpus().length);
      const value = await work();
      cpu[name] = end();
      if (cpu[name].otherShare > 0.05) log(`    warning: other processes used ${Math.round(cpu[name].otherShare * 100)} % of the machine during ${name}`);
      return value;
    };
    const idleBeforeMb = rss.now();
    const idleSplit = await gwOn.memory();

    const targets = {
      direct: { url: upstream.url, apiKeys: onKeys },
      bare: { url: bare.url, apiKeys: onKeys },
      gatewayNoGovernance: { url: gwOff.url, apiKeys: offKeys },
      gateway: { url: gwOn.url, apiKeys: onKeys },
    };
    const list = Object.entries(targets).map(([name, t]) => ({ name, ...t, apiKey: t.apiKeys[0] }));

    log(`(a) latency at c=1: ${config.latency.requests} sequential requests per target, alternating blocks`);
    rss.setPhase('latency');
    const latency = await account('latency', () => measureLatency(list, config.latency));

    log(`(b) throughput at c=${config.throughput.connections}: ${config.throughput.repeats} × ${config.throughput.duration} s per target`);
    rss.setPhase('throughput');
    const throughput = await account('throughput', () =>
      measureThroughput(list, { ...config.throughput, onRun: (name, r, run) => log(`    ${name} run ${r + 1}: ${Math.round(run.rps)} req/s`) }),
    );

    log(`(c) ${config.sse.concurrency} concurrent SSE streams for ${config.sse.durationMs / 1000} s: ${config.sse.rounds} rounds of direct, bare proxy, gateway`);
    const sseOptions = { concurrency: config.sse.concurrency, durationMs: config.sse.durationMs, rampMs: config.sse.rampMs, intervalMs: config.sse.intervalMs, expectedEvents: config.sse.events };
    const rounds = [];
    for (let i = 1; i <= config.sse.rounds; i += 1) {
      rss.setPhase('sse-direct');
      const direct = await account(`sseDirect${i}`, () => measureStreams({ ...sseOptions, url: upstream.url, apiKey: onKeys[0] }));
      rss.setPhase('sse-bare');
      const bareRun = await account(`sseBare${i}`, () => measureStreams({ ...sseOptions, url: bare.url, apiKey: onKeys[0] }));
      rss.setPhase('sse');
      const gateway = await account(`sse${i}`, () => measureStreams({ ...sseOptions, url: gwOn.url, apiKey: onKeys[0] }));
      rounds.push({ direct, bare: bareRun, gateway });
      log(`    round ${i}: lag p99 direct ${direct.lag.p99}, bare ${bareRun.lag.p99}, gateway ${gateway.lag.p99} ms; TTFB p50 direct ${direct.ttfb.p50}, gateway ${gateway.ttfb.p50} ms`);
    }
    const sse = sseSummary(rounds);

    log(`(d) waiting ${config.memory.settleMs / 1000} s for the gateway to settle`);
    rss.setPhase('after');
    await sleep(config.memory.settleMs);
    const afterMb = rss.now();
    const afterSplit = await gwOn.memory();
    rss.stop();
    const peakByPhase = rss.peaks();
    const loadPhases = ['latency', 'throughput', 'sse'];
    const memory = { idleBeforeMb, peakMb: Math.max(...loadPhases.map((p) => peakByPhase[p] ?? 0)), afterMb, peakByPhase, idleSplit, afterSplit };

    const results = { date: new Date().toISOString(), machine: machine(), config, otherLoad: cpu, latency, throughput, sse, memory };
    results.checks = checks(results);
    const table = markdown(results, results.checks);
    console.log(`\n${table}\n`);
    if (quick) {
      log('not saved (--quick)');
    } else {
      mkdirSync(RESULTS, { recursive: true });
      const file = `${RESULTS}${results.date.slice(0, 10)}.json`;
      writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
      log(`results written to ${file.slice(ROOT.length)}`);
    }
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
