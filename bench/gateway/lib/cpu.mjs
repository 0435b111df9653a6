/**
 * How much of the machine other processes took during a phase: the whole machine's busy CPU
 * time (/proc/stat) minus what this benchmark's own processes used (/proc/<pid>/stat). On a
 * shared 2-core box a compile or test run next door distorts every number, so the results say
 * how quiet the machine was instead of leaving the reader to guess.
 */
import { readFileSync } from 'node:fs';

const TICK_S = 0.01; // USER_HZ is 100 on Linux

function machineBusyTicks() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return user + nice + system + irq + softirq + steal;
}

function processTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0; // exited
  }
}

/** Call with the pids to count as ours; returns end() → { ourCpuS, otherCpuS, otherShare }. */
export function startCpuAccount(pids, cores) {
  const t0 = performance.now();
  const machine0 = machineBusyTicks();
  const ours0 = pids.map(processTicks);
  return () => {
    const wallS = (performance.now() - t0) / 1000;
    const machineS = (machineBusyTicks() - machine0) * TICK_S;
    const ourS = pids.map(processTicks).reduce((sum, t, i) => sum + t - ours0[i], 0) * TICK_S;
    const otherS = Math.max(0, machineS - ourS);
    return { wallS: Math.round(wallS * 10) / 10, ourCpuS: Math.round(ourS * 10) / 10, otherCpuS: Math.round(otherS * 10) / 10, otherShare: Math.round((otherS / (wallS * cores)) * 1000) / 1000 };
  };
}
