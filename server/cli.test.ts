/** The command line as scripts use it: a real child process per case. */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './test-support/harness';

const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Run {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  waitFor: (text: string) => Promise<void>;
  exit: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const baseEnv = { ...process.env };
  delete baseEnv.PARTNERDESK_ADMIN_KEY;
  const child = spawn(TSX, ['server/cli.ts', ...args], { cwd: ROOT, env: { ...baseEnv, ...env } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += String(d)));
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (stdout.includes(text) ? resolve() : undefined);
      child.stdout?.on('data', check);
      void exit.then(() => (stdout.includes(text) ? resolve() : reject(new Error(`exited before "${text}": ${stdout}${stderr}`))));
      check();
    });
  return { child, output: () => ({ stdout, stderr }), waitFor, exit };
}

async function stop(r: Run): Promise<number | null> {
  r.child.kill('SIGTERM');
  return r.exit;
}

afterAll(removeTempDirs);

describe('npm run server', () => {
  it('prints the admin key once, then listening; a second start prints no key', async () => {
    const dataDir = tempDir();
    const first = run(['--port', '0', '--data-dir', dataDir]);
    await first.waitFor('listening on');
    const lines = first.output().stdout.split('\n');
    expect(lines[0]).toMatch(/^admin key: sk-ant-admin-[0-9A-Za-z]{43}$/);
    const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(first.output().stdout)?.[1];
    expect(url).toBeDefined();
    const key = lines[0]!.slice('admin key: '.length);
    const res = await fetch(`${url}/v1/partners`, { headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' } });
    expect(res.status).toBe(200);
    expect(await stop(first)).toBe(0);

    const second = run(['--port', '0', '--data-dir', dataDir]);
    await second.waitFor('listening on');
    expect(second.output().stdout).not.toContain('sk-ant-admin-');
    expect(await stop(second)).toBe(0);
  });

  it('accepts PARTNERDESK_ADMIN_KEY and prints no key', async () => {
    const adminKey = `sk-ant-admin-${'Z'.repeat(40)}`;
    const r = run(['--port', '0', '--data-dir', tempDir()], { PARTNERDESK_ADMIN_KEY: adminKey });
    await r.waitFor('listening on');
    expect(r.output().stdout).not.toContain('admin key');
    const url = /listening on (\S+)/.exec(r.output().stdout)?.[1];
    const res = await fetch(`${url}/v1/partners`, { headers: { 'x-api-key': adminKey, 'anthropic-version': '2023-06-01' } });
    expect(res.status).toBe(200);
    expect(await stop(r)).toBe(0);
  });

  it('rejects a malformed PARTNERDESK_ADMIN_KEY without echoing it', async () => {
    const r = run(['--port', '0', '--data-dir', tempDir()], { PARTNERDESK_ADMIN_KEY: 'sk-ant-admin-secretButShort' });
    expect(await r.exit).toBe(1);
    const { stdout, stderr } = r.output();
    expect(stderr).toContain('PARTNERDESK_ADMIN_KEY: the admin key must start with sk-ant-admin-');
    expect(stdout + stderr).not.toContain('secretButShort');
  });

  it('exits non-zero on a bad flag', async () => {
    const r = run(['--prot', '8787']);
    expect(await r.exit).toBe(2);
    expect(r.output().stderr).toContain("error: Unknown option '--prot'");
    const bad = run(['--upstream', 'openai']);
    expect(await bad.exit).toBe(2);
    expect(bad.output().stderr).toContain('--upstream: expected sandbox or anthropic, got "openai"');
  });

  it('exits non-zero with a clear message on a busy port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = run(['--port', String(port), '--data-dir', tempDir()]);
      expect(await r.exit).toBe(1);
      expect(r.output().stderr.trim()).toBe(`error: port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('exits non-zero on an unusable data dir', async () => {
    const r = run(['--port', '0', '--data-dir', '/proc/partnerdesk-cannot-exist']);
    expect(await r.exit).toBe(1);
    expect(r.output().stderr).toBe('error: cannot use data dir /proc/partnerdesk-cannot-exist: the path cannot be created (ENOENT)\n');
  });

  it('prints help', async () => {
    const r = run(['--help']);
    expect(await r.exit).toBe(0);
    expect(r.output().stdout).toContain('Usage: npm run server -- [options]');
  });
});

describe('stopping under npm', () => {
  it('a SIGTERM to the whole process group (npm and us) is one graceful stop: the request in flight is answered', async () => {
    // As `npm run server` runs it: a shell parent and npm's environment. The trailing `; true`
    // keeps the shell from exec-ing node, so node's parent really does die with the group.
    const env: Record<string, string | undefined> = { ...process.env, npm_lifecycle_event: 'server' };
    delete env.PARTNERDESK_ADMIN_KEY;
    const command = `"${process.execPath}" --require tsx/cjs server/cli.ts --port 0 --data-dir "${tempDir()}"; true`;
    const group = spawn('sh', ['-c', command], { cwd: ROOT, env, detached: true });
    children.push(group);
    let stdout = '';
    let stderr = '';
    group.stdout.on('data', (d) => (stdout += String(d)));
    group.stderr.on('data', (d) => (stderr += String(d)));
    // The pipes close when the last writer (node, which outlives the shell) exits.
    const serverGone = new Promise<void>((resolve) => group.stdout.on('close', () => resolve()));
    while (!/listening on (\S+)/.test(stdout)) await new Promise((resolve) => setTimeout(resolve, 50));
    const url = new URL(/listening on (\S+)/.exec(stdout)![1]!);
    const adminKey = /admin key: (\S+)/.exec(stdout)![1]!;

    // A request whose body is still arriving: the graceful stop must wait for it.
    const body = JSON.stringify({ name: 'created while stopping', permissions: ['files:read'] });
    const socket = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.on('data', (d) => (answer += String(d)));
    const answered = new Promise((resolve) => socket.on('end', resolve));
    socket.write(`POST /v1/partners HTTP/1.1\r\nhost: ${url.host}\r\nx-api-key: ${adminKey}\r\nanthropic-version: 2023-06-01\r\n` +
      `content-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body.slice(0, 10)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));

    process.kill(-group.pid!, 'SIGTERM');
    // Longer than the 500 ms the server takes to notice its parent is gone.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    socket.end(body.slice(10));
    await answered;
    await serverGone;

    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 201 Created');
    expect(stdout.split('\n').slice(-3)).toEqual(['SIGTERM: finishing in-flight requests', 'closed', '']);
    expect(stderr).not.toContain('again');
  }, 30_000);
});

describe('stopping while usage waits for storage', () => {
  it('a second SIGTERM exits at once with 1, cleanly, though the writer thread is waiting out a lock', async () => {
    const dataDir = tempDir();
    const r = run(['--port', '0', '--data-dir', dataDir]);
    await r.waitFor('listening on');
    const { stdout } = r.output();
    const key = /^admin key: (\S+)$/m.exec(stdout)![1]!;
    const url = /^listening on (\S+)$/m.exec(stdout)![1]!;
    const call = (path: string, apiKey: string, body: unknown) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const created = (await (await call('/v1/partners', key, { name: 'stopper', permissions: ['messages:write'] })).json()) as { api_key: string };
    const message = { model: 'claude-x', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] };
    expect((await call('/v1/messages', created.api_key, message)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100)); // its usage is in the file
    const blocker = new Database(join(dataDir, 'partners.db'));
    try {
      blocker.exec('BEGIN IMMEDIATE');
      expect((await call('/v1/messages', created.api_key, message)).status).toBe(200);
      for (let i = 0; i < 100 && !r.output().stderr.includes('cannot record usage'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      r.child.kill('SIGTERM');
      for (let i = 0; i < 100 && !r.output().stderr.includes('closing while usage waits'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      r.child.kill('SIGTERM');
      expect(await r.exit).toBe(1);
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    const { stderr } = r.output();
    expect(stderr).toContain('SIGTERM again: exiting immediately');
    expect(stderr).not.toContain('FATAL');
  }, 30_000);
});
