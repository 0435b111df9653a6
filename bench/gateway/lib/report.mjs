/** Turns measurements into the PASS/FAIL table the README records. */
import { round } from './stats.mjs';

const pct = (v) => `${round(v * 100, 1)} %`;
const ms = (v) => `${round(v, 3)} ms`;
const mb = (v) => `${round(v, 1)} MB`;

/** Each check: { id, what, measured (number), shown, limit, pass }. */
export function checks(r) {
  const lat = r.latency;
  const addedP50 = lat.gateway.p50 - lat.direct.p50;
  const addedP99 = lat.gateway.p99 - lat.direct.p99;
  // The floor: what one extra hop through a proxy that does nothing (the bare one) adds here.
  const bareP50 = ms(lat.bare.p50 - lat.direct.p50);
  const bareP99 = ms(lat.bare.p99 - lat.direct.p99);
  const tp = r.throughput;
  const ratio = tp.gateway.medianRps / tp.bare.medianRps;
  const cost = 1 - tp.gateway.medianRps / tp.gatewayNoGovernance.medianRps;
  const sse = r.sse;
  const { addedTtfbP50: addedTtfb, addedLagP99 } = sse;
  const rounds = (f) => sse.rounds.map((x) => round(f(x), 1)).join(', ');
  const mem = r.memory;
  return [
    { id: 'a', what: 'added latency p50, concurrency 1', value: addedP50, shown: `${ms(addedP50)} (bare proxy: ${bareP50})`, limit: '≤ 1 ms', pass: addedP50 <= 1 },
    { id: 'a', what: 'added latency p99, concurrency 1', value: addedP99, shown: `${ms(addedP99)} (bare proxy: ${bareP99})`, limit: '≤ 2 ms', pass: addedP99 <= 2 },
    { id: 'b', what: 'throughput at c=50, gateway / bare undici proxy', value: ratio, shown: pct(ratio), limit: '≥ 70 %', pass: ratio >= 0.7 },
    { id: 'b', what: 'governance cost at c=50 (1 − on / off)', value: cost, shown: pct(cost), limit: '≤ 10 %', pass: cost <= 0.1 },
    { id: 'c', what: `added time to first byte p50, ${r.config.sse.concurrency} streams`, value: addedTtfb, shown: `${ms(addedTtfb)} (median of rounds: ${rounds((x) => x.gateway.ttfb.p50 - x.direct.ttfb.p50)}; bare proxy: ${rounds((x) => x.bare.ttfb.p50 - x.direct.ttfb.p50)})`, limit: '≤ 1 ms', pass: addedTtfb <= 1 },
    {
      id: 'c',
      what: 'no buffering: added per-event lag p99 (gateway p99 − direct p99)',
      value: addedLagP99,
      shown: `${ms(addedLagP99)} (median of rounds: ${rounds((x) => x.gateway.lag.p99 - x.direct.lag.p99)}; bare proxy: ${rounds((x) => x.bare.lag.p99 - x.direct.lag.p99)}); in the median round: max lag ${ms(sse.gateway.lag.max)} (direct ${ms(sse.direct.lag.max)}); events held ≥ ${r.config.sse.intervalMs} ms: ${sse.gateway.bufferedEvents} (direct ${sse.direct.bufferedEvents}) of ~${sse.gateway.timedEvents}`,
      limit: '≤ 5 ms, all streams complete',
      pass: addedLagP99 <= 5 && sse.incomplete === 0,
    },
    { id: 'd', what: 'gateway peak RSS under load', value: mem.peakMb, shown: mb(mem.peakMb), limit: '≤ 150 MB', pass: mem.peakMb <= 150 },
    {
      id: 'd',
      what: `gateway RSS ${r.config.memory.settleMs / 1000} s after load (idle before: ${mb(mem.idleBeforeMb)})`,
      value: mem.afterMb,
      shown: mb(mem.afterMb),
      limit: `≤ idle + ${r.config.memory.nearIdleMb} MB`,
      pass: mem.afterMb <= mem.idleBeforeMb + r.config.memory.nearIdleMb,
    },
  ];
}

export function markdown(r, list) {
  const lines = ['| target | what | measured | limit | result |', '|---|---|---|---|---|'];
  for (const c of list) lines.push(`| (${c.id}) | ${c.what} | ${c.shown} | ${c.limit} | ${c.pass ? 'PASS' : '**FAIL**'} |`);
  lines.push('', '| measurement | direct upstream | bare undici proxy | gateway, governance off | gateway, governance on |', '|---|---|---|---|---|');
  const l = r.latency;
  lines.push(`| (a) latency p50 / p99, c=1 (ms) | ${l.direct.p50} / ${l.direct.p99} | ${l.bare.p50} / ${l.bare.p99} | ${l.gatewayNoGovernance.p50} / ${l.gatewayNoGovernance.p99} | ${l.gateway.p50} / ${l.gateway.p99} |`);
  const t = r.throughput;
  const runs = (x) => `${Math.round(x.medianRps)} (${x.runs.map((run) => Math.round(run.rps)).join(', ')})`;
  lines.push(`| (b) req/s at c=50, median (runs) | ${runs(t.direct)} | ${runs(t.bare)} | ${runs(t.gatewayNoGovernance)} | ${runs(t.gateway)} |`);
  const s = r.sse;
  lines.push(`| (c) SSE, the median round: TTFB p50 / p99 (ms) | ${s.direct.ttfb.p50} / ${s.direct.ttfb.p99} | ${s.bare.ttfb.p50} / ${s.bare.ttfb.p99} | – | ${s.gateway.ttfb.p50} / ${s.gateway.ttfb.p99} |`);
  lines.push(`| (c) SSE event lag p50 / p99 / max (ms) | ${s.direct.lag.p50} / ${s.direct.lag.p99} / ${s.direct.lag.max} | ${s.bare.lag.p50} / ${s.bare.lag.p99} / ${s.bare.lag.max} | – | ${s.gateway.lag.p50} / ${s.gateway.lag.p99} / ${s.gateway.lag.max} |`);
  lines.push(`| (c) events held ≥ one interval | ${s.direct.bufferedEvents} | ${s.bare.bufferedEvents} | – | ${s.gateway.bufferedEvents} |`);
  lines.push(`| (c) streams measured (peak open) | ${s.direct.streams} (${s.direct.peakConcurrency}) | ${s.bare.streams} (${s.bare.peakConcurrency}) | – | ${s.gateway.streams} (${s.gateway.peakConcurrency}) |`);
  const m = r.memory;
  lines.push(`| (d) gateway RSS MB: idle / peak per phase / after | – | – | – | ${round(m.idleBeforeMb, 1)} / ${Object.entries(m.peakByPhase).map(([k, v]) => `${k} ${round(v, 1)}`).join(', ')} / ${round(m.afterMb, 1)} |`);
  const split = (x) => (x ? `rss ${x.rssMb}, V8 heap ${x.heapUsedMb} used / ${x.heapTotalMb} total, external ${x.externalMb}` : 'n/a');
  lines.push(`| (d) gateway memory split MB, idle → after | – | – | – | ${split(m.idleSplit)} → ${split(m.afterSplit)} |`);
  const other = Object.entries(r.otherLoad).map(([k, v]) => `${k} ${Math.round(v.otherShare * 100)} %`).join(', ');
  lines.push('', `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, Node ${r.machine.node}, ${r.machine.os}. CPU taken by other processes per phase: ${other}.`);
  return lines.join('\n');
}
