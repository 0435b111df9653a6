/**
 * favorRequestThread: V8's helper threads yield to the request thread (SCHED_IDLE), the main
 * thread and threads started later keep the normal policy, and only the CLI asks for it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { favorRequestThread, FALLBACK_NICE } from './thread-priority';
import { removeTempDirs, startHarness, tempDir } from './test-support/harness';
import { SCHED_IDLE, SCHED_OTHER, threadScheduling } from './test-support/threads';

const ROOT = join(__dirname, '..');
afterAll(removeTempDirs);

/** Runs `node --require tsx/cjs -e script` in ROOT; resolves to its stdout once it exits 0. */
function runNode(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

describe('favorRequestThread', () => {
  it('moves each listed live thread but the main one to SCHED_IDLE, else to nice 19, and skips ended ones', async () => {
    const idle: number[] = [];
    const niced: [number, number][] = [];
    const result = await favorRequestThread([100, 101, 102, 103, 104], {
      mainThreadId: 100,
      liveThreadIds: () => [100, 101, 102, 104, 200],
      setIdlePolicy: async (id) => {
        if (id === 102) throw new Error('chrt: failed to set pid 102\'s policy');
        idle.push(id);
      },
      setNice: (id, nice) => {
        niced.push([id, nice]);
      },
    });
    expect(result).toEqual({ idle: 2, niced: 1 });
    expect(idle.sort()).toEqual([101, 104]);
    expect(niced).toEqual([[102, FALLBACK_NICE]]);
  });

  it('counts neither when the thread ended between both tries', async () => {
    const result = await favorRequestThread([7], {
      mainThreadId: 1,
      liveThreadIds: () => [1, 7],
      setIdlePolicy: () => Promise.reject(new Error('chrt: No such process')),
      setNice: () => {
        throw Object.assign(new Error('ESRCH'), { code: 'ESRCH' });
      },
    });
    expect(result).toEqual({ idle: 0, niced: 0 });
  });

  it.runIf(process.platform === 'linux')('really sets SCHED_IDLE on the threads listed, and only on them (a real process, real chrt)', async () => {
    const script = `
      const { Worker } = require('node:worker_threads');
      const { favorRequestThread, threadIdsNow } = require('./server/thread-priority');
      const { threadScheduling } = require('./server/test-support/threads');
      const before = threadIdsNow();
      const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
      worker.once('online', async () => {
        const result = await favorRequestThread(before);
        console.log(JSON.stringify({ pid: process.pid, before, result, threads: threadScheduling(process.pid) }));
        process.exit(0);
      });`;
    const { pid, before, result, threads } = JSON.parse(await runNode(script)) as {
      pid: number;
      before: number[];
      result: { idle: number; niced: number };
      threads: { id: number; policy: number; nice: number }[];
    };
    expect(before).toContain(pid);
    expect(result).toEqual({ idle: before.length - 1, niced: 0 });
    // Nice values stay as they were (the process's own, whatever the runner's is): the policy changed.
    const { nice } = threads.find((t) => t.id === pid)!;
    for (const thread of threads) {
      const helper = before.includes(thread.id) && thread.id !== pid;
      expect(thread).toEqual({ id: thread.id, policy: helper ? SCHED_IDLE : SCHED_OTHER, nice });
    }
    // The worker started after the list was taken: its thread is there and untouched.
    expect(threads.filter((t) => !before.includes(t.id)).length).toBeGreaterThanOrEqual(1);
  });

  it.runIf(process.platform === 'linux')('the CLI server: V8\'s helpers idle, its request thread normal', async () => {
    const dataDir = tempDir();
    // Node itself, not the tsx binary (which would run the server in a grandchild): its pid is the server's.
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'server/cli.ts', '--port', '0', '--data-dir', dataDir], { cwd: ROOT });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += String(d);
          if (out.includes('listening on')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`exited ${code} before listening`)));
      });
      const threads = threadScheduling(child.pid!);
      expect(threads.find((t) => t.id === child.pid)?.policy).toBe(SCHED_OTHER);
      // V8 starts 4 platform workers (its default pool size) before any JavaScript runs.
      expect(threads.filter((t) => t.policy === SCHED_IDLE).length).toBeGreaterThanOrEqual(4);
      // The SQLite writer thread started later and keeps the normal policy, as does the main one.
      expect(threads.filter((t) => t.policy === SCHED_OTHER).length).toBeGreaterThanOrEqual(2);
    } finally {
      child.kill('SIGTERM');
      await exited; // before afterAll removes its data directory
    }
  });

  it.runIf(process.platform === 'linux')('a server sharing its process (the desktop app\'s embedded one) leaves every thread alone', async () => {
    const harness = await startHarness();
    try {
      expect(threadScheduling(process.pid).filter((t) => t.policy !== SCHED_OTHER)).toEqual([]);
    } finally {
      await harness.stop();
    }
  });
});
