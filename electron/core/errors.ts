import type { IpcError, IpcErrorCode } from '../../shared/ipc';

/**
 * A failure the core expects and can explain: it crosses the IPC boundary as its IpcError.
 * Anything else thrown inside a handler is a bug and reaches the window only as 'internal'.
 */
export class CoreError extends Error {
  readonly code: IpcErrorCode;
  readonly status: number | undefined;
  readonly retryAfter: number | undefined;
  readonly field: string | undefined;

  constructor(code: IpcErrorCode, message: string, extra: { status?: number; retryAfter?: number; field?: string } = {}) {
    super(message);
    this.name = 'CoreError';
    this.code = code;
    this.status = extra.status;
    this.retryAfter = extra.retryAfter;
    this.field = extra.field;
  }

  /** Plain data only, and only the fields that are set, so nothing odd crosses the boundary. */
  toIpcError(): IpcError {
    const error: IpcError = { code: this.code, message: this.message };
    if (this.status !== undefined) error.status = this.status;
    if (this.retryAfter !== undefined) error.retryAfter = this.retryAfter;
    if (this.field !== undefined) error.field = this.field;
    return error;
  }
}

export function isCoreError(value: unknown): value is CoreError {
  return value instanceof CoreError;
}

export function unknownAccount(accountId: string): CoreError {
  return new CoreError('unknown_account', `No account with id ${accountId}.`);
}
