/**
 * Error codes that cross the IPC boundary. The desktop core maps HTTP and network failures to
 * these so the renderer can say what happened and what to do, without parsing messages.
 */
export const IPC_ERROR_CODES = [
  'invalid_input', // the caller sent something the contract rejects (field named in message)
  'unauthorized', // the server rejected the account's admin key
  'forbidden', // the key is valid but lacks the right
  'not_found',
  'rate_limited', // retryAfter is set
  'offline', // the server could not be reached
  'timeout',
  'server_error', // the server answered 5xx or something unreadable
  'needs_key', // the stored admin key no longer decrypts on this machine
  'insecure_storage', // the OS offers no encryption and the user has not consented
  'unknown_account',
  'internal',
] as const;

export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

export interface IpcError {
  code: IpcErrorCode;
  message: string;
  /** HTTP status when the error came from a server. */
  status?: number;
  /** Seconds to wait, when the server said so. */
  retryAfter?: number;
  /** The input field at fault, for invalid_input. */
  field?: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };
