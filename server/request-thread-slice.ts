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
 * 1.0–1.3 ms, p50 rose by ~0.1 ms (bench/README.md). The slice changes *when* the thread runs, not how much: its
 * weight is unchanged, so it takes nothing from other work, and nothing ever waits on a thread
 * made slower. Lowering the helpers' priority instead was tried and reverted: V8's collections
 * wait for their helpers, so on a busy machine requests stalled for up to 1.3 s.
 *
 * How: sched_setattr(2) has no binding in Node, so perl (in every Debian and Ubuntu base
 * system) makes the system call. Kernels before 6.12 accept the call but keep their slice,
 * which /proc shows. Without Linux, perl or a known system call number nothing changes, and the
 * reason is returned for the log.
 *
 * Only for a process that is the server alone (the CLI, the benchmark's server): the desktop
 * app's embedded server shares Electron's main thread, which is not ours to reschedule.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** sched_setattr clamps a custom slice to 0.1–100 ms; the shortest is the one that preempts soonest. */
export const REQUEST_THREAD_SLICE_NS = 100_000;

/** sched_setattr's number where Node runs on Linux; other architectures are left alone. */
const SCHED_SETATTR: Partial<Record<string, number>> = { x64: 314, arm64: 274 };

/**
 * struct sched_attr, version 0 (48 bytes): size, policy SCHED_OTHER (0), flags, nice, priority,
 * runtime (the slice, for SCHED_OTHER), deadline, period. Nice 0 keeps the default weight.
 */
const PERL_SET_SLICE =
  'my ($syscall, $tid, $slice) = map { $_ + 0 } @ARGV;' +
  'syscall($syscall, $tid, pack("LLQlLQQQ", 48, 0, 0, 0, 0, $slice, 0, 0), 0) == 0 or die "sched_setattr: $!\\n";';

/** A thread's slice in ns as the kernel reports it (/proc/…/sched, "se.slice"), or undefined where it says none. */
export function readSliceNs(threadId: number, pid = process.pid): number | undefined {
  try {
    const match = /^se\.slice\s+:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${threadId}/sched`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export type SliceResult = { set: true } | { set: false; reason: string };

export interface SliceOptions {
  platform?: NodeJS.Platform;
  arch?: string;
  threadId?: number;
  /** Runs perl with the script and its arguments; rejects with what went wrong. */
  runPerl?: (args: string[]) => Promise<void>;
  readSlice?: (threadId: number) => number | undefined;
}

const PERL_TIMEOUT_MS = 5_000;

const runPerlScript = (args: string[]) =>
  new Promise<void>((resolve, reject) => {
    // Only PATH: the server's environment holds keys that a child has no business seeing.
    execFile('perl', args, { timeout: PERL_TIMEOUT_MS, killSignal: 'SIGKILL', env: { PATH: process.env.PATH ?? '' } }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      // Not error.message: it quotes the whole command line.
      const { code, killed } = error as NodeJS.ErrnoException & { killed?: boolean };
      if (code === 'ENOENT') return reject(new Error('perl not found'));
      if (killed) return reject(new Error(`perl did not finish within ${PERL_TIMEOUT_MS / 1000} s`));
      reject(new Error(String(stderr).trim() || `perl exited with ${String(code)}`));
    });
  });

/**
 * Sets the slice of `threadId`, one of this process's threads (default: the main thread, whose id
 * is the process id), and checks that the kernel took it. Never rejects.
 */
export async function shortenRequestThreadSlice(options: SliceOptions = {}): Promise<SliceResult> {
  const { platform = process.platform, arch = process.arch, threadId = process.pid, runPerl = runPerlScript, readSlice = readSliceNs } = options;
  if (platform !== 'linux') return { set: false, reason: `not on Linux (${platform})` };
  const syscall = SCHED_SETATTR[arch];
  if (syscall === undefined) return { set: false, reason: `no sched_setattr number for ${arch}` };
  try {
    await runPerl(['-e', PERL_SET_SLICE, String(syscall), String(threadId), String(REQUEST_THREAD_SLICE_NS)]);
  } catch (error) {
    return { set: false, reason: (error as Error).message };
  }
  // Kernels before 6.12 accept the call and keep their own slice; where /proc shows no slice, trust the call.
  const slice = readSlice(threadId);
  if (slice !== undefined && slice !== REQUEST_THREAD_SLICE_NS) return { set: false, reason: 'the kernel kept its own slice (Linux before 6.12)' };
  return { set: true };
}
