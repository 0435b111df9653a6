/**
 * Each server under test runs in its own child process, so the load generator, the gateway and
 * the upstream never share an event loop. A child prints one JSON `{"ready":true,…}` line when
 * listening; its stderr is kept for the error message if it dies.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The V8 flags `npm run server` starts the server with (package.json "server": `node <flags>
 * --require tsx/cjs server/cli.ts`), so the benchmark measures the server as it is shipped.
 */
export function serverNodeFlags() {
  const script = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).scripts.server;
  const words = script.split(/\s+/);
  const flags = [];
  for (let i = 1; i < words.length && words[i].startsWith('--'); i += 1) {
    if (words[i] === '--import' || words[i] === '--require') i += 1; // the TypeScript loader: added below
    else flags.push(words[i]);
  }
  return flags;
}
const HERE = fileURLToPath(new URL('../', import.meta.url));

/** Starts `node [nodeArgs] script` with env; resolves to { url, pid, stop } once it is listening. */
export async function startChild(name, script, env, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, `${HERE}${script}`], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
  const ready = await new Promise((resolve, reject) => {
    let out = '';
    const onData = (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.startsWith('{"ready":true'));
      if (line) {
        child.stdout.off('data', onData);
        resolve(JSON.parse(line));
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before listening:\n${stderr}`)));
  });
  child.removeAllListeners('exit');
  let tail = '';
  const lines = [];
  child.stdout.on('data', (c) => {
    const parts = (tail + c).split('\n');
    tail = parts.pop();
    lines.push(...parts);
  });
  return {
    name,
    url: ready.url,
    pid: ready.pid,
    /** The gateway child's memoryUsage() split (it answers SIGUSR2 with a JSON line). */
    async memory() {
      const from = lines.length;
      child.kill('SIGUSR2');
      for (let i = 0; i < 50; i += 1) {
        const line = lines.slice(from).find((l) => l.startsWith('{"memory"'));
        if (line) return JSON.parse(line).memory;
        await new Promise((r) => setTimeout(r, 20));
      }
      return null;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await once(child, 'exit');
      clearTimeout(timer);
    },
  };
}

export const startUpstream = (env = {}) => startChild('fake upstream', 'fake-upstream.mjs', env);
export const startBareProxy = (upstreamUrl) => startChild('bare proxy', 'bare-proxy.mjs', { BARE_UPSTREAM_URL: upstreamUrl });

/**
 * The real gateway from its TypeScript sources, in one process (so its pid is the server's).
 * tsx's CommonJS hook (`--require tsx/cjs`) transpiles on the main thread at startup; the `tsx`
 * CLI or `--import tsx` would add an ESM loader worker thread (a second V8 heap, ~30–45 MB of
 * RSS) that a built server does not have, and target (d) would measure tsx instead.
 * ownsProcess: false starts it without the CLI's short request-thread slice (slice-ab.mjs).
 */
export const startGateway = ({ upstreamUrl, governance, adminKey, cpuProfDir, ownsProcess = true }) =>
  startChild(
    `gateway (governance ${governance ? 'on' : 'off'})`,
    'gateway-child.ts',
    { BENCH_UPSTREAM_URL: upstreamUrl, BENCH_GOVERNANCE: governance ? 'on' : 'off', BENCH_ADMIN_KEY: adminKey, BENCH_OWNS_PROCESS: ownsProcess ? 'on' : 'off' },
    [...serverNodeFlags(), '--require', 'tsx/cjs', ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [])],
  );
