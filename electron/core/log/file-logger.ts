import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock, Logger } from '../ports';
import { redactSecrets } from './redact';

export const LOG_FILE_NAME = 'partnerdesk.log';

export interface FileLogger extends Logger {
  /** Absolute path of the log file, for "show logs" buttons and tests. */
  readonly path: string;
}

type Level = 'info' | 'warn' | 'error';

/**
 * JSON lines in `<dataDir>/logs/partnerdesk.log`. Each line is serialised first and redacted
 * as a whole, so a key hidden in any field (or an error's message) is caught. Writes are
 * synchronous: log volume is small and a crash must not lose the line that explains it.
 */
export function createFileLogger(dataDir: string, clock: Clock = () => new Date()): FileLogger {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOG_FILE_NAME);

  const write = (level: Level, message: string, fields?: Record<string, unknown>): void => {
    const line = JSON.stringify({ time: clock().toISOString(), level, message, ...serializable(fields) });
    try {
      appendFileSync(path, `${redactSecrets(line)}\n`);
    } catch {
      // A full disk or a removed folder must never take the app down with it.
    }
  };

  return {
    path,
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** Errors do not survive JSON.stringify on their own; keep their name and message. */
function serializable(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!fields) return {};
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    out[name] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  return out;
}

/** Wraps any logger so that nothing key-shaped reaches it, whatever the host plugged in. */
export function redactingLogger(inner: Logger): Logger {
  const clean = (fields?: Record<string, unknown>) =>
    fields ? (JSON.parse(redactSecrets(JSON.stringify(serializable(fields)))) as Record<string, unknown>) : undefined;
  return {
    info: (message, fields) => inner.info(redactSecrets(message), clean(fields)),
    warn: (message, fields) => inner.warn(redactSecrets(message), clean(fields)),
    error: (message, fields) => inner.error(redactSecrets(message), clean(fields)),
  };
}
