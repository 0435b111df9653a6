/**
 * Lets the request thread go first: V8's helper threads (its optimizing compiler, concurrent
 * marking, parallel scavenging) are moved to the SCHED_IDLE policy, which runs a thread only
 * when nothing else wants its CPU and gives the CPU up at once when something does.
 *
 * Why: on a machine with few cores, a request that arrived while helper threads were busy
 * waited in the kernel's run queue for them. At concurrency 1 on 2 cores, the slowest 1 % of
 * requests waited ~2.3 ms on average between arriving and being forwarded, while the helpers
 * recompiled functions after deoptimizations (which go on for minutes). Lowering their nice
 * value was not enough: Linux's scheduler (EEVDF) still lets a running thread finish its time
 * slice before a woken one of any nice value gets the CPU. SCHED_IDLE is preempted on wakeup.
 * bench/README.md has the numbers.
 *
 * Which threads: those the process has when the server begins to start (threadIdsNow() before the
 * store opens): V8's platform threads, which a Node process starts before any JavaScript runs,
 * and libuv's pool if something has already started it (its work here is rare: the upstream's
 * DNS lookup when a connection opens). The SQLite writer thread starts after and keeps the
 * normal policy: its commits must keep up under load.
 *
 * Only for a process that is the server alone (the CLI, the benchmark's server): the desktop
 * app's embedded server shares Electron's process, whose threads are not ours to reprioritize.
 * Linux only. Node has no call for scheduling policies, so util-linux's `chrt` sets it; where
 * chrt is missing or refuses, the thread gets the lowest nice value instead.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The fallback where SCHED_IDLE cannot be set: the lowest priority a nice value gives. */
export const FALLBACK_NICE = 19;

/** This process's thread ids (Linux; elsewhere none). */
export function threadIdsNow(): number[] {
  try {
    return process.platform === 'linux' ? readdirSync('/proc/self/task').map(Number) : [];
  } catch {
    return [];
  }
}

const runChrtIdle = (threadId: number) =>
  new Promise<void>((resolve, reject) => {
    execFile('chrt', ['--idle', '--pid', '0', String(threadId)], { timeout: 5_000 }, (error) => (error ? reject(error) : resolve()));
  });

export interface FavorRequestThreadOptions {
  /** The request thread: a Node process's main thread has the process id as its thread id. */
  mainThreadId?: number;
  /** Threads still alive (a listed one may have ended since). */
  liveThreadIds?: () => number[];
  setIdlePolicy?: (threadId: number) => Promise<void>;
  setNice?: (threadId: number, nice: number) => void;
}

export interface FavorResult {
  idle: number;
  niced: number;
}

/**
 * Moves each of `helperThreadIds` (from threadIdsNow()) but the main thread to SCHED_IDLE, or
 * where that fails to nice 19. Threads that ended meanwhile are skipped: their ids are checked
 * against this process's threads, so a reused id can never be another process's thread.
 */
export async function favorRequestThread(helperThreadIds: number[], options: FavorRequestThreadOptions = {}): Promise<FavorResult> {
  const { mainThreadId = process.pid, liveThreadIds = threadIdsNow, setIdlePolicy = runChrtIdle, setNice = setPriority } = options;
  const result: FavorResult = { idle: 0, niced: 0 };
  const alive = new Set(liveThreadIds());
  const helpers = helperThreadIds.filter((id) => id !== mainThreadId && alive.has(id));
  await Promise.all(
    helpers.map(async (id) => {
      try {
        await setIdlePolicy(id);
        result.idle += 1;
      } catch {
        try {
          setNice(id, FALLBACK_NICE);
          result.niced += 1;
        } catch {
          // The thread ended meanwhile: nothing left to lower.
        }
      }
    }),
  );
  return result;
}
