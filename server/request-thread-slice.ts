/**
 * Gives the request thread (the main one) a short scheduler slice, so that a request arriving
 * while V8's helper threads hold every core gets the CPU at once.
 *
 * Why: on a 2-core machine at concurrency 1, the slowest 1 % of requests waited ~2.3 ms in the
 * kernel's run queue between arriving and being forwarded, while V8's helper threads (TurboFan
 * recompiling after deoptimizations, which go on for minutes, and GC helpers) ran out their
 * slices (1.4 ms here). Linux's scheduler since 6.6 (EEVDF) lets a woken thread preempt the
 * running one only if it is due first; since 6.12 a thread may ask for a shorter slice, which
 * makes it due sooner. With a 0.1 ms slice the added latency p99 fell from 2.4–3.4 ms to
 * 1.0–1.3 ms, and p50 rose by ~0.1 ms (bench/README.md). The slice changes *when* the thread
 * runs, not how much: its weight is unchanged, so it takes nothing from other work, and nothing
 * ever waits on a thread made slower. Lowering the helpers' priority instead was tried and
 * reverted: V8's collections wait for their helpers, so on a busy machine requests stalled for
 * up to 1.3 s.
 *
 * How: sched_setattr(2) has no binding in Node, so perl (in every Debian and Ubuntu base
 * system) makes the system call, passing the thread's own policy and nice value back, with
 * reset-on-fork so threads started later keep the default slice. Without Linux 6.12+, perl or a
 * known system call number, or where the operator chose another policy or a negative nice,
 * nothing changes, and the reason is returned for the log.
 *
 * Only for a process that is the server alone (the CLI, the benchmark's server): the desktop
 * app's embedded server shares Electron's main thread, which is not ours to reschedule.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { redactKeys } from './redact';

/** sched_setattr clamps a custom slice to 0.1–100 ms; the shortest is the one that preempts soonest. */
export const REQUEST_THREAD_SLICE_NS = 100_000;

/** sched_setattr's number where Node runs on Linux; other architectures are left alone. */
const SCHED_SETATTR: Partial<Record<string, number>> = { x64: 314, arm64: 274 };

const SCHED_OTHER = 0;
/** Threads and processes started later get the default slice instead of inheriting this one. */
const SCHED_FLAG_RESET_ON_FORK = 0x01;

/**
 * struct sched_attr, version 0 (48 bytes): size, policy, flags, nice, priority, runtime (the
 * slice, for SCHED_OTHER), deadline, period. The policy and nice are the thread's own, passed
 * back unchanged: the call sets them too.
 */
const PERL_SET_SLICE =
  'my ($syscall, $tid, $slice, $nice, $flags) = map { $_ + 0 } @ARGV;' +
  'syscall($syscall, $tid, pack("LLQlLQQQ", 48, 0, $flags, $nice, 0, $slice, 0, 0), 0) == 0 or die "sched_setattr: $!\n";';

/** A thread's slice in ns as the kernel reports it (/proc/…/sched, "se.slice"), or undefined where it says none. */
export function readSliceNs(threadId: number, pid = process.pid): number | undefined {
  try {
    const match = /^se\.slice\s+:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${threadId}/sched`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export interface ThreadScheduling {
  policy: number;
  nice: number;
}

/** A thread's policy and nice value: fields 41 and 19 of /proc/PID/task/TID/stat. */
export function readScheduling(threadId: number, pid = process.pid): ThreadScheduling {
  const stat = readFileSync(`/proc/${pid}/task/${threadId}/stat`, 'utf8');
  // The thread's name (field 2, in parentheses) may hold spaces: count the fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { policy: Number(fields[41 - 3]), nice: Number(fields[19 - 3]) };
}

/** Whether a kernel release ("6.18.44-…") has per-thread slices (6.12+). */
export function hasCustomSlices(kernelRelease: string): boolean {
  const [major = 0, minor = 0] = kernelRelease.split(/[.-]/).map(Number);
  return major > 6 || (major === 6 && minor >= 12);
}

export type SliceResult = { set: true } | { set: false; reason: string };

export interface SliceOptions {
  platform?: NodeJS.Platform;
  arch?: string;
  kernelRelease?: string;
  threadId?: number;
  /** Runs perl with the script and its arguments; rejects with what went wrong. */
  runPerl?: (args: string[], signal?: AbortSignal) => Promise<void>;
  readSlice?: (threadId: number) => number | undefined;
  readScheduling?: (threadId: number) => ThreadScheduling;
  /** Stops a perl still running (the server is closing). */
  signal?: AbortSignal;
}

const PERL_TIMEOUT_MS = 5_000;

const runPerlScript = (args: string[], signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    // Only PATH: the server's environment holds keys that a child has no business seeing.
    const options = { timeout: PERL_TIMEOUT_MS, killSignal: 'SIGKILL' as const, env: { PATH: process.env.PATH ?? '' }, ...(signal ? { signal } : {}) };
    execFile('perl', args, options, (error, _stdout, stderr) => {
      if (!error) return resolve();
      // Not error.message: it quotes the whole command line.
      const { code, killed, signal: killedBy } = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
      if (code === 'ENOENT') return reject(new Error('perl not found'));
      if (code === 'ABORT_ERR') return reject(new Error('the server stopped first'));
      if (killed) return reject(new Error(`perl did not finish within ${PERL_TIMEOUT_MS / 1000} s`));
      if (killedBy) return reject(new Error(`perl was stopped by ${killedBy}`));
      // Whatever a foreign perl printed: its first line, short and without anything key-shaped.
      const said = redactKeys(String(stderr).trim().split('\n')[0] ?? '').slice(0, 200);
      reject(new Error(said || `perl exited with ${String(code)}`));
    });
  });

/**
 * Sets the slice of `threadId`, one of this process's threads (default: the main thread, whose id
 * is the process id), keeping its policy and nice value, and checks that the kernel took it. A
 * thread the operator gave another policy or a negative nice value is left as it is. Never rejects.
 */
export async function shortenRequestThreadSlice(options: SliceOptions = {}): Promise<SliceResult> {
  const {
    platform = process.platform,
    arch = process.arch,
    kernelRelease = release(),
    threadId = process.pid,
    runPerl = runPerlScript,
    readSlice = readSliceNs,
    readScheduling: readThread = readScheduling,
    signal,
  } = options;
  if (platform !== 'linux') return { set: false, reason: `not on Linux (${platform})` };
  const syscall = SCHED_SETATTR[arch];
  if (syscall === undefined) return { set: false, reason: `no sched_setattr number for ${arch}` };
  if (!hasCustomSlices(kernelRelease)) return { set: false, reason: `Linux ${kernelRelease} has no per-thread slices (6.12+)` };
  let scheduling: ThreadScheduling;
  try {
    scheduling = readThread(threadId);
  } catch (error) {
    return { set: false, reason: `cannot read the thread's scheduling: ${(error as Error).message}` };
  }
  // An operator's choice (chrt, a negative nice) is theirs: a short slice is for the default policy.
  if (scheduling.policy !== SCHED_OTHER) return { set: false, reason: `the thread runs under scheduling policy ${scheduling.policy}, left as it is` };
  if (scheduling.nice < 0) return { set: false, reason: `the thread runs at nice ${scheduling.nice}, left as it is` };
  const args = [String(syscall), String(threadId), String(REQUEST_THREAD_SLICE_NS), String(scheduling.nice), String(SCHED_FLAG_RESET_ON_FORK)];
  try {
    await runPerl(['-e', PERL_SET_SLICE, ...args], signal);
  } catch (error) {
    return { set: false, reason: (error as Error).message };
  }
  // /proc may not show slices (a kernel built without scheduler debugging): then the call's success is all there is.
  const slice = readSlice(threadId);
  if (slice !== undefined && slice !== REQUEST_THREAD_SLICE_NS) return { set: false, reason: `the kernel kept its own slice (${slice / 1e6} ms)` };
  return { set: true };
}
