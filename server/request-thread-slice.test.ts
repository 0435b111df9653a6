/**
 * shortenRequestThreadSlice: the CLI's main thread gets a 0.1 ms scheduler slice through a real
 * sched_setattr call, nothing else changes, a missing perl never stops the start, and a server
 * sharing its process (the desktop app's) leaves the scheduler alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readSliceNs, REQUEST_THREAD_SLICE_NS, shortenRequestThreadSlice } from './request-thread-slice';
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
  it('calls sched_setattr for x64 and arm64 with the thread and a 0.1 ms slice', async () => {
    const calls: string[][] = [];
    const runPerl = async (args: string[]) => {
      calls.push(args);
    };
    const readSlice = () => REQUEST_THREAD_SLICE_NS;
    expect(await shortenRequestThreadSlice({ platform: 'linux', arch: 'x64', threadId: 1234, runPerl, readSlice })).toEqual({ set: true });
    expect(await shortenRequestThreadSlice({ platform: 'linux', arch: 'arm64', threadId: 99, runPerl, readSlice })).toEqual({ set: true });
    expect(calls.map((args) => args.slice(2))).toEqual([
      ['314', '1234', '100000'],
      ['274', '99', '100000'],
    ]);
    expect(calls[0]![0]).toBe('-e');
    expect(REQUEST_THREAD_SLICE_NS).toBe(100_000);
  });

  it('changes nothing, and says why, off Linux, on another architecture or when perl fails', async () => {
    const calls: string[][] = [];
    const runPerl = async (args: string[]) => {
      calls.push(args);
    };
    expect(await shortenRequestThreadSlice({ platform: 'darwin', arch: 'arm64', runPerl })).toEqual({ set: false, reason: 'not on Linux (darwin)' });
    expect(await shortenRequestThreadSlice({ platform: 'linux', arch: 'ia32', runPerl })).toEqual({ set: false, reason: 'no sched_setattr number for ia32' });
    expect(calls).toEqual([]);
    const failing = () => Promise.reject(new Error('perl not found'));
    expect(await shortenRequestThreadSlice({ platform: 'linux', arch: 'x64', runPerl: failing })).toEqual({ set: false, reason: 'perl not found' });
  });

  it('reports a kernel that accepted the call but kept its own slice (before 6.12), and trusts the call where /proc shows none', async () => {
    const runPerl = async () => {};
    expect(await shortenRequestThreadSlice({ platform: 'linux', arch: 'x64', runPerl, readSlice: () => 1_400_000 })).toEqual({
      set: false,
      reason: 'the kernel kept its own slice (Linux before 6.12)',
    });
    expect(await shortenRequestThreadSlice({ platform: 'linux', arch: 'x64', runPerl, readSlice: () => undefined })).toEqual({ set: true });
  });

  it.runIf(process.platform === 'linux')('really sets the slice of the thread named, through perl (a real process)', async () => {
    const sleeper = spawn('sleep', ['30']);
    children.push(sleeper);
    const before = sliceNs(sleeper.pid!);
    expect(before).not.toBe(REQUEST_THREAD_SLICE_NS);
    const readSlice = (tid: number) => sliceNs(tid);
    expect(await shortenRequestThreadSlice({ threadId: sleeper.pid!, readSlice })).toEqual({ set: true });
    expect(sliceNs(sleeper.pid!)).toBe(REQUEST_THREAD_SLICE_NS);
  });

  it.runIf(process.platform === 'linux')('the CLI server: its main thread gets the short slice and says so, its other threads keep theirs', async () => {
    const cli = startCli({});
    expect(await cli.schedulerLine()).toMatchObject({ event: 'scheduler', requestThreadSliceMs: 0.1 });
    const pid = cli.child.pid!;
    expect(sliceNs(pid)).toBe(REQUEST_THREAD_SLICE_NS);
    const others = readdirSync(`/proc/${pid}/task`).map(Number).filter((tid) => tid !== pid);
    expect(others.length).toBeGreaterThanOrEqual(5); // V8's platform threads, the writer thread…
    for (const tid of others) expect(sliceNs(pid, tid)).not.toBe(REQUEST_THREAD_SLICE_NS);
    expect(await cli.listPartners()).toBe(200);
    cli.child.kill('SIGTERM');
    await cli.exited;
  });

  it.runIf(process.platform === 'linux')('the CLI server without perl starts and serves as usual, and logs why the slice is the default', async () => {
    const cli = startCli({ PATH: '/nonexistent' });
    expect(await cli.schedulerLine()).toMatchObject({ event: 'scheduler', requestThreadSlice: 'default', reason: 'perl not found' });
    expect(sliceNs(cli.child.pid!)).not.toBe(REQUEST_THREAD_SLICE_NS);
    expect(await cli.listPartners()).toBe(200);
    cli.child.kill('SIGTERM');
    await cli.exited;
  });

  it.runIf(process.platform === 'linux')("a server sharing its process (the desktop app's embedded one) leaves the slice alone", async () => {
    const before = sliceNs(process.pid);
    const harness = await startHarness();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // longer than perl would take
      expect(sliceNs(process.pid)).toBe(before);
      expect(before).not.toBe(REQUEST_THREAD_SLICE_NS);
    } finally {
      await harness.stop();
    }
  });
});
