/**
 * Target (d): the gateway process's resident memory, read from /proc/<pid>/status (VmRSS) every
 * `intervalMs` for the whole run, tagged with the phase running at the time.
 */
import { readFileSync } from 'node:fs';

export function readRssMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

export function startRssSampler(pid, intervalMs = 100) {
  let phase = 'idle';
  const samples = [];
  const take = () => samples.push({ t: performance.now(), phase, mb: readRssMb(pid) });
  take();
  const timer = setInterval(take, intervalMs);
  return {
    setPhase(name) {
      phase = name;
      take();
    },
    now: () => readRssMb(pid),
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
    /** Peak MB per phase, in the order the phases ran. */
    peaks() {
      const out = {};
      for (const s of samples) out[s.phase] = Math.max(out[s.phase] ?? 0, s.mb);
      return out;
    },
  };
}
