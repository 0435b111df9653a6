import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../test-support/memory-logger';
import { tempDir } from '../test-support/temp-dir';
import { createFileLogger, redactingLogger } from './file-logger';
import { redactSecrets } from './redact';

describe('file logger', () => {
  const dir = tempDir();
  afterEach(() => dir.cleanup());

  it('writes JSON lines under logs/ with keys redacted wherever they hide', () => {
    const logger = createFileLogger(dir.path, () => new Date('2026-01-02T03:04:05Z'));
    logger.info('hello', { count: 2 });
    logger.error('failed for sk-ant-admin-abcDEF123_-x', { error: new Error('key sk-ant-partner-XYZ was bad'), nested: { k: 'sk-ant-api03-q' } });
    expect(logger.path).toMatch(/logs[\\/]partnerdesk\.log$/);
    const lines = readFileSync(logger.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ time: '2026-01-02T03:04:05.000Z', level: 'info', message: 'hello', count: 2 });
    expect(lines[1]).toEqual({
      time: '2026-01-02T03:04:05.000Z', level: 'error', message: 'failed for [redacted]',
      error: { name: 'Error', message: 'key [redacted] was bad' }, nested: { k: '[redacted]' },
    });
  });

  it('redactingLogger cleans what reaches any host logger', () => {
    const inner = memoryLogger();
    redactingLogger(inner).warn('sk-ant-admin-zzz', { key: 'sk-ant-admin-yyy' });
    expect(inner.lines).toEqual([{ level: 'warn', message: '[redacted]', fields: { key: '[redacted]' } }]);
  });

  it('leaves ordinary text alone', () => {
    expect(redactSecrets('sk-ant is a prefix; partner_abc stays')).toBe('sk-ant is a prefix; partner_abc stays');
  });
});
