/** Test harness: a real server on a loopback port over a temp data dir, and a small fetch helper. */
import { expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type StartServerOptions } from '../start';

export const VERSION = '2023-06-01';
export const REQUEST_ID = /^req_[0-9A-Za-z]{24}$/;

export interface Harness {
  server: RunningServer;
  adminKey: string;
  dataDir: string;
  logs: string[];
  /** Mutable "now" seen by the server. */
  now: { value: Date };
  call(method: string, path: string, init?: CallInit): Promise<Answer>;
  stop(): Promise<void>;
}

export interface CallInit {
  key?: string | null;
  body?: unknown;
  /** Sent verbatim instead of JSON-encoding `body`. */
  raw?: string;
  headers?: Record<string, string | null>;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

const tempDirs: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'partnerdesk-server-'));
  tempDirs.push(dir);
  return dir;
}

/** Call from afterAll, after every server on these dirs has closed. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function startHarness(extra: Partial<StartServerOptions> = {}): Promise<Harness> {
  const dataDir = extra.dataDir ?? tempDir();
  const logs: string[] = [];
  const now = { value: new Date('2026-06-15T12:00:00.000Z') };
  const server = await startServer({ port: 0, clock: () => now.value, log: (l) => logs.push(l), ...extra, dataDir });
  const adminKey = extra.adminKey ?? server.generatedAdminKey;
  if (!adminKey) throw new Error('harness needs an admin key');

  async function call(method: string, path: string, init: CallInit = {}): Promise<Answer> {
    const headers: Record<string, string> = { 'anthropic-version': VERSION };
    const key = init.key === undefined ? adminKey : init.key;
    if (key !== null) headers['x-api-key'] = key as string;
    let body: string | undefined = init.raw;
    if (body === undefined && init.body !== undefined) body = JSON.stringify(init.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    for (const [name, value] of Object.entries(init.headers ?? {})) {
      if (value === null) delete headers[name];
      else headers[name] = value;
    }
    const res = await fetch(server.url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  return {
    server,
    adminKey: adminKey as string,
    dataDir,
    logs,
    now,
    call,
    async stop() {
      await server.close();
      if (!extra.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Asserts the exact error answer: status, shape, type, message, and a request ID matching the header. */
export function expectError(answer: Answer, status: number, type: string, message: string): void {
  const requestId = answer.headers.get('request-id');
  expect(requestId).toMatch(REQUEST_ID);
  expect({ status: answer.status, body: answer.body }).toEqual({
    status,
    body: { type: 'error', error: { type, message }, request_id: requestId },
  });
}
