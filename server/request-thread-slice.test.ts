/**
 * shortenRequestThreadSlice: the CLI's main thread gets a 0.1 ms scheduler slice through a real
 * sched_setattr call, nothing else changes, a missing perl never stops the start, and a server
 * sharing its process (the desktop app's) leaves the scheduler alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hasCustomSlices, readScheduling, readSliceNs, REQUEST_THREAD_SLICE_NS, shortenRequestThreadSlice } from './request-thread-slice';
import { removeTempDirs, startHarness, tempDir } from './test-support/harness';

const ROOT = join(__dirname, '..');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(removeTempDirs);

/** A thread's scheduler slice in ns; the tests need the kernel to report one. */
function sliceNs(pid: number, tid = pid): number {
  const slice = readSliceNs(tid, pid);
  if (slice === undefined) throw new Error(`no se.slice for thread ${tid} of ${pid}`);
  return slice;
}

/** The server's CLI run by Node itself (the tsx binary would run it in a grandchild, with another pid). */
function startCli(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'server/cli.ts', '--port', '0', '--data-dir', tempDir()], {
    cwd: ROOT,
    env: { ...process.env, PARTNERDESK_ADMIN_KEY: undefined, ...env },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  /** Resolves to the parsed `"event":"scheduler"` log line once the server is listening and has logged it. */
  const schedulerLine = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const line = stderr.split('\n').find((l) => l.includes('"event":"scheduler"'));
        if (line && stdout.includes('listening on')) resolve(JSON.parse(line) as Record<string, unknown>);
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      void exited.then(() => reject(new Error(`exited before logging its scheduler: ${stdout}${stderr}`)));
      check();
    });
  /** GET /v1/partners with the admin key printed at first start: the answer's status. */
  const listPartners = async () => {
    const key = /^admin key: (\S+)$/m.exec(stdout)?.[1];
    const url = /^listening on (\S+)$/m.exec(stdout)?.[1];
    const res = await fetch(`${url}/v1/partners`, { headers: { 'x-api-key': key ?? '', 'anthropic-version': '2023-06-01' } });
    return res.status;
  };
  return { child, exited, schedulerLine, listPartners };
}

describe('shortenRequestThreadSlice', () => {
  const linux = { platform: 'linux' as const, kernelRelease: '6.18.44-fc-v1252', readSlice: () => REQUEST_THREAD_SLICE_NS };
  const recording = () => {
    const calls: string[][] = [];
    return { calls, runPerl: async (args: string[]) => void calls.push(args) };
  };

  it('calls sched_setattr for x64 and arm64 with the thread, a 0.1 ms slice, its own nice value and reset-on-fork', async () => {
    const { calls, runPerl } = recording();
    const readScheduling = () => ({ policy: 0, nice: 7 });
    expect(await shortenRequestThreadSlice({ ...linux, arch: 'x64', threadId: 1234, runPerl, readScheduling })).toEqual({ set: true });
    expect(await shortenRequestThreadSlice({ ...linux, arch: 'arm64', threadId: 99, runPerl, readScheduling })).toEqual({ set: true });
    expect(calls.map((args) => args.slice(2))).toEqual([
      ['314', '1234', '100000', '7', '1'],
      ['274', '99', '100000', '7', '1'],
    ]);
    expect(calls[0]![0]).toBe('-e');
  });

  it('changes nothing, and says why: off Linux, another architecture, a kernel before 6.12, another policy, a negative nice, a failing perl', async () => {
    const { calls, runPerl } = recording();
    const normal = () => ({ policy: 0, nice: 0 });
    const cases: [Parameters<typeof shortenRequestThreadSlice>[0], string][] = [
      [{ ...linux, platform: 'darwin', arch: 'arm64' }, 'not on Linux (darwin)'],
      [{ ...linux, arch: 'ia32' }, 'no sched_setattr number for ia32'],
      [{ ...linux, arch: 'x64', kernelRelease: '6.8.0-49-generic' }, 'Linux 6.8.0-49-generic has no per-thread slices (6.12+)'],
      [{ ...linux, arch: 'x64', readScheduling: () => ({ policy: 3, nice: 0 }) }, 'the thread runs under scheduling policy 3, left as it is'],
      [{ ...linux, arch: 'x64', readScheduling: () => ({ policy: 0, nice: -5 }) }, 'the thread runs at nice -5, left as it is'],
    ];
    for (const [options, reason] of cases) expect(await shortenRequestThreadSlice({ ...options, runPerl, readScheduling: options?.readScheduling ?? normal })).toEqual({ set: false, reason });
    expect(calls).toEqual([]);
    const failing = () => Promise.reject(new Error('perl not found'));
    expect(await shortenRequestThreadSlice({ ...linux, arch: 'x64', runPerl: failing, readScheduling: normal })).toEqual({ set: false, reason: 'perl not found' });
  });

  it('reports a kernel that accepted the call but kept its own slice, and trusts the call where /proc shows none', async () => {
    const base = { ...linux, arch: 'x64', runPerl: async () => {}, readScheduling: () => ({ policy: 0, nice: 0 }) };
    expect(await shortenRequestThreadSlice({ ...base, readSlice: () => 1_400_000 })).toEqual({ set: false, reason: 'the kernel kept its own slice (1.4 ms)' });
    expect(await shortenRequestThreadSlice({ ...base, readSlice: () => undefined })).toEqual({ set: true });
  });

  it('reads kernel releases', () => {
    expect(['6.12.0', '6.18.44-fc-v1252', '7.0.1'].map(hasCustomSlices)).toEqual([true, true, true]);
    expect(['6.11.9', '6.8.0-49-generic', '5.15.0', 'weird'].map(hasCustomSlices)).toEqual([false, false, false, false]);
  });

  it.runIf(process.platform === 'linux')('on a real process at nice 5: sets the slice where the kernel has slices, keeping policy and nice; a SCHED_BATCH one is left alone', async () => {
    const sleeper = spawn('nice', ['-n', '5', 'sleep', '30']);
    children.push(sleeper);
    await new Promise((resolve) => setTimeout(resolve, 100)); // nice has exec'd sleep
    const pid = sleeper.pid!;
    const own = { threadId: pid, readSlice: (tid: number) => readSliceNs(tid, pid), readScheduling: (tid: number) => readScheduling(tid, pid) };
    const before = readSliceNs(pid, pid);
    const result = await shortenRequestThreadSlice(own);
    if (hasCustomSlices(release())) {
      expect(result).toEqual({ set: true });
      expect(before).not.toBe(REQUEST_THREAD_SLICE_NS);
      expect(sliceNs(pid)).toBe(REQUEST_THREAD_SLICE_NS);
    } else {
      expect(result).toEqual({ set: false, reason: `Linux ${release()} has no per-thread slices (6.12+)` });
    }
    expect(readScheduling(pid, pid)).toEqual({ policy: 0, nice: 5 });

    const batch = spawn('chrt', ['--batch', '0', 'sleep', '30']);
    children.push(batch);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const batchPid = batch.pid!;
    const batchResult = await shortenRequestThreadSlice({ threadId: batchPid, readScheduling: (tid) => readScheduling(tid, batchPid), kernelRelease: '6.18.0' });
    expect(batchResult).toEqual({ set: false, reason: 'the thread runs under scheduling policy 3, left as it is' });
    expect(readScheduling(batchPid, batchPid)).toEqual({ policy: 3, nice: 0 });
  });

  it.runIf(process.platform === 'linux')('the CLI server: its main thread gets the short slice and says so, its other threads keep theirs', async () => {
    const cli = startCli({});
    const line = await cli.schedulerLine();
    const pid = cli.child.pid!;
    const threads = readdirSync(`/proc/${pid}/task`).map(Number);
    expect(threads.length).toBeGreaterThanOrEqual(6); // V8's platform threads, the writer thread…
    for (const tid of threads) expect(readScheduling(tid, pid)).toEqual({ policy: 0, nice: 0 });
    if (hasCustomSlices(release())) {
      expect(line).toMatchObject({ event: 'scheduler', requestThreadSliceMs: 0.1 });
      expect(sliceNs(pid)).toBe(REQUEST_THREAD_SLICE_NS);
      for (const tid of threads.filter((t) => t !== pid)) expect(sliceNs(pid, tid)).not.toBe(REQUEST_THREAD_SLICE_NS);
    } else {
      expect(line).toMatchObject({ event: 'scheduler', requestThreadSlice: 'default', reason: `Linux ${release()} has no per-thread slices (6.12+)` });
    }
    expect(await cli.listPartners()).toBe(200);
    cli.child.kill('SIGTERM');
    await cli.exited;
  });

  it.runIf(process.platform === 'linux')('the CLI server without perl starts and serves as usual, and logs why the slice is the default', async () => {
    const cli = startCli({ PATH: '/nonexistent' });
    const reason = hasCustomSlices(release()) ? 'perl not found' : `Linux ${release()} has no per-thread slices (6.12+)`;
    expect(await cli.schedulerLine()).toMatchObject({ event: 'scheduler', requestThreadSlice: 'default', reason });
    expect(readSliceNs(cli.child.pid!, cli.child.pid!)).not.toBe(REQUEST_THREAD_SLICE_NS);
    expect(await cli.listPartners()).toBe(200);
    cli.child.kill('SIGTERM');
    await cli.exited;
  });

  it.runIf(process.platform === 'linux')("a server sharing its process (startServer's default) leaves the slice alone", async () => {
    const before = readSliceNs(process.pid);
    const harness = await startHarness();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // longer than perl would take
      expect(readSliceNs(process.pid)).toBe(before);
      expect(before).not.toBe(REQUEST_THREAD_SLICE_NS);
    } finally {
      await harness.stop();
    }
  });
});
