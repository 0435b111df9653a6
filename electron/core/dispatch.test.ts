import { describe, expect, it } from 'vitest';
import type { IpcHandlers } from './api';
import { attachLogger, dispatch } from './dispatch';
import { CoreError } from './errors';
import { memoryLogger } from './test-support/memory-logger';

const SECRET = `sk-ant-admin-${'s'.repeat(40)}`;

function handlers(overrides: Partial<IpcHandlers> = {}): IpcHandlers {
  const never = async () => {
    throw new Error('not called in this test');
  };
  return {
    'vault:status': async () => ({ secure: true, backend: 'test' }),
    'accounts:list': never,
    'accounts:add': never,
    'accounts:select': never,
    'partners:cached': never,
    'partners:refresh': never,
    'partners:create': never,
    ...overrides,
  };
}

describe('dispatch', () => {
  it('answers a known channel with its value', async () => {
    expect(await dispatch(handlers(), 'vault:status', {})).toEqual({ ok: true, value: { secure: true, backend: 'test' } });
  });

  it('rejects a channel outside the contract, including inherited names', async () => {
    for (const channel of ['shell:exec', 'toString', '__proto__']) {
      const result = await dispatch(handlers(), channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });

  it('names the field of bad input and never runs the handler', async () => {
    let ran = false;
    const h = handlers({
      'accounts:add': async () => {
        ran = true;
        return { accounts: [], selectedId: null };
      },
    });
    const result = await dispatch(h, 'accounts:add', { name: 'A', baseUrl: 'ftp://x', adminKey: SECRET });
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid_input', field: 'baseUrl', message: 'baseUrl: expected an http(s) URL such as https://partners.example.com' },
    });
    expect(await dispatch(h, 'accounts:select', { accountId: 'a', extra: 1 })).toMatchObject({
      ok: false, error: { field: 'extra', message: 'extra: unknown field' },
    });
    expect(ran).toBe(false);
  });

  it('passes a CoreError through as its IpcError', async () => {
    const h = handlers({
      'partners:refresh': async () => {
        throw new CoreError('rate_limited', 'slow down', { status: 429, retryAfter: 3 });
      },
    });
    expect(await dispatch(h, 'partners:refresh', { accountId: 'a' })).toEqual({
      ok: false, error: { code: 'rate_limited', message: 'slow down', status: 429, retryAfter: 3 },
    });
  });

  it('hides any other error behind "internal" and logs it without secrets', async () => {
    const logger = memoryLogger();
    const h = handlers({
      'accounts:list': async () => {
        throw new TypeError(`boom with ${SECRET}`);
      },
    });
    attachLogger(h, logger);
    const result = await dispatch(h, 'accounts:list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('boom');
    expect(logger.lines).toHaveLength(1);
    expect(logger.text()).toContain('TypeError');
  });
});
