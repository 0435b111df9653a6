/** Keys never rest anywhere: only a hash and a hint in the database, nothing in the logs. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from './keys';
import { startHarness, type Answer, type Harness } from './test-support/harness';

let h: Harness;
let partnerKey: string;
let partnerId: string;
beforeAll(async () => {
  h = await startHarness();
  const a = await h.call('POST', '/v1/partners', { body: { name: 'secretive', permissions: ['admin:read', 'admin:write'] } });
  ({ api_key: partnerKey, id: partnerId } = a.body as { api_key: string; id: string });
  // Use the key every way a client can, including by mistake in a URL and query string.
  await h.call('GET', '/v1/partners', { key: partnerKey });
  await h.call('GET', '/v1/partners', { key: null, headers: { authorization: `Bearer ${partnerKey}` } });
  await h.call('GET', `/v1/partners/${partnerKey}?key=${partnerKey}`);
  await h.call('GET', `/v1/partners?after_id=${partnerKey}`);
  await h.call('POST', '/v1/partners', { key: partnerKey, body: { name: 'child', permissions: ['admin:read'] } });
  await h.call('GET', '/v1/partners', { key: `${partnerKey}x` });
  // A key pasted as the model name (sandbox upstream), then read back from the history.
  const sender = await h.call('POST', '/v1/partners', { body: { name: 'sender', permissions: ['messages:write', 'messages:read'] } });
  const senderKey = (sender.body as { api_key: string }).api_key;
  pastedModel = await h.call('POST', '/v1/messages', { key: senderKey, body: { model: partnerKey, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] } });
  history = await h.call('GET', '/v1/messages/history', { key: senderKey });
  unknownRoute = await h.call('GET', `/v1/${partnerKey}`);
});
let pastedModel: Answer;
let history: Answer;
let unknownRoute: Answer;
afterAll(() => h.stop());

const dbFiles = () => ['partners.db', 'partners.db-wal', 'partners.db-shm'].map((f) => join(h.dataDir, f)).filter(existsSync);

function bytesContain(files: string[], needle: string): string[] {
  return files.filter((f) => readFileSync(f).includes(Buffer.from(needle, 'utf8')));
}

describe('keys said back', () => {
  it('a key pasted as the model name is redacted in the answer and never kept for the history', () => {
    expect(pastedModel.status).toBe(200);
    expect((pastedModel.body as { model: string }).model).toBe('sk-ant-[redacted]-sandbox');
    expect((history.body as { data: { model: string }[] }).data.map((r) => r.model)).toEqual(['sk-ant-[redacted]']);
  });

  it('a key in an unknown path is redacted once', () => {
    expect((unknownRoute.body as { error: { message: string } }).error.message).toBe('no route for GET /v1/sk-ant-[redacted]');
  });
});

describe('keys at rest', () => {
  it('stores the partner key as sha256 and a hint only', () => {
    const db = new Database(join(h.dataDir, 'partners.db'), { readonly: true });
    const row = db.prepare('SELECT key_hash, key_hint FROM partners WHERE id = ?').get(partnerId);
    db.close();
    expect(row).toEqual({ key_hash: hashKey(partnerKey), key_hint: `…${partnerKey.slice(-4)}` });
  });

  it('stores the admin key as a hash with id, name, hint and creation time', () => {
    const db = new Database(join(h.dataDir, 'partners.db'), { readonly: true });
    const rows = db.prepare('SELECT id, name, key_hash, key_hint, created_at FROM admin_keys').all();
    db.close();
    expect(rows).toEqual([
      {
        id: expect.stringMatching(/^adminkey_[0-9A-Za-z]{24}$/),
        name: 'generated at first start',
        key_hash: hashKey(h.adminKey),
        key_hint: `…${h.adminKey.slice(-4)}`,
        created_at: '2026-06-15T12:00:00.000Z',
      },
    ]);
  });

  it('never writes a key to the database files, WAL included, while running and after close', async () => {
    const files = dbFiles();
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
    // The key's body (without the public prefix) must not appear, nor must the admin key.
    for (const needle of [partnerKey, partnerKey.slice('sk-ant-partner-'.length), h.adminKey]) {
      expect(bytesContain(files, needle)).toEqual([]);
    }
    await h.server.close();
    for (const needle of [partnerKey, h.adminKey]) expect(bytesContain(dbFiles(), needle)).toEqual([]);
  });

  it('never logs a key, a hash or an Authorization header, and logs one line per request', () => {
    const all = h.logs.join('\n');
    expect(all).not.toContain(partnerKey.slice('sk-ant-partner-'.length));
    expect(all).not.toContain(h.adminKey.slice('sk-ant-admin-'.length));
    expect(all).not.toContain(hashKey(partnerKey));
    expect(all.toLowerCase()).not.toContain('bearer');
    const requests = h.logs.map((l) => JSON.parse(l)).filter((l) => l.event === 'request');
    expect(requests).toHaveLength(11);
    expect(Object.keys(requests[0])).toEqual(['time', 'event', 'method', 'path', 'status', 'request_id', 'actor', 'ms']);
    expect(requests.map((r) => r.path)).toContain('/v1/partners/sk-ant-[redacted]');
  });
});
