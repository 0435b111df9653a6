/** How Linux schedules each thread of a process, read from /proc (the tests' view of thread-priority.ts). */
import { readdirSync, readFileSync } from 'node:fs';

export const SCHED_OTHER = 0;
export const SCHED_IDLE = 5;

export interface ThreadScheduling {
  id: number;
  policy: number;
  nice: number;
}

/** Every thread of `pid`: fields 19 (nice) and 41 (policy) of /proc/PID/task/TID/stat. */
export function threadScheduling(pid: number): ThreadScheduling[] {
  return readdirSync(`/proc/${pid}/task`).map((entry) => {
    const stat = readFileSync(`/proc/${pid}/task/${entry}/stat`, 'utf8');
    // The thread's name (field 2, in parentheses) may hold spaces: count fields after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { id: Number(entry), nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) };
  });
}
