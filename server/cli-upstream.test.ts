/** `--upstream anthropic` and ANTHROPIC_API_KEY on the real command line (a child process per case). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeUpstream } from '../test/fakes/anthropic-upstream';
import { removeTempDirs, tempDir } from './test-support/harness';

const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const OWNER_KEY = 'sk-ant-api03-owner-cli-secret-0123456789';
afterAll(removeTempDirs);

function run(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(TSX, ['server/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, PARTNERDESK_ADMIN_KEY: undefined, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exit, out: () => ({ stdout, stderr }) };
}

describe('npm run server -- --upstream anthropic', () => {
  it('exits 1 with a clear message when ANTHROPIC_API_KEY is missing', async () => {
    const r = run(['--port', '0', '--data-dir', tempDir(), '--upstream', 'anthropic'], { ANTHROPIC_API_KEY: undefined });
    expect(await r.exit).toBe(1);
    expect(r.out().stderr).toBe("error: the anthropic upstream needs the owner's API key: set ANTHROPIC_API_KEY\n");
  });

  it('forwards with the key from the environment and never prints it', async () => {
    const fake = await startFakeUpstream();
    const adminKey = `sk-ant-admin-${'k'.repeat(40)}`;
    const r = run(['--port', '0', '--data-dir', tempDir(), '--upstream', 'anthropic', '--upstream-url', fake.url], {
      ANTHROPIC_API_KEY: OWNER_KEY,
      PARTNERDESK_ADMIN_KEY: adminKey,
    });
    try {
      const url = await new Promise<string>((resolve) => {
        r.child.stdout.on('data', () => {
          const m = /listening on (\S+)/.exec(r.out().stdout);
          if (m) resolve(m[1]!);
        });
      });
      const headers = { 'x-api-key': adminKey, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
      const created = await fetch(`${url}/v1/partners`, { method: 'POST', headers, body: JSON.stringify({ name: 'cli', permissions: ['messages:write'] }) });
      const { api_key: key } = (await created.json()) as { api_key: string };
      const answer = await fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { ...headers, 'x-api-key': key },
        body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [] }),
      });
      expect(answer.status).toBe(200);
      expect(fake.received.at(-1)!.headers['x-api-key']).toBe(OWNER_KEY);
      r.child.kill('SIGTERM');
      expect(await r.exit).toBe(0);
      const { stdout, stderr } = r.out();
      expect(stdout + stderr).not.toContain(OWNER_KEY);
      expect(stdout + stderr).not.toContain(key);
    } finally {
      if (r.child.exitCode === null) r.child.kill('SIGKILL');
      await fake.close();
    }
  });
});
