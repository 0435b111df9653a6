/**
 * SQLite failures of the storage itself (disk full, the file locked by another program, an I/O
 * error) reach the API as the port's StorageUnavailable, so a caller is told the cause and to
 * retry, instead of "internal server error". A transaction that failed this way changed nothing.
 */
import { StorageUnavailable } from '../types';
import { STORAGE_FAILURE } from './writer-thread';

export function asStorageError(error: unknown): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !STORAGE_FAILURE.test(code)) return error;
  return new StorageUnavailable(`the server cannot write to its database right now (${String(message)} (${code})); nothing was changed`);
}

/**
 * The repository with every method's storage failures turned into StorageUnavailable, except
 * `unguarded` ones: methods on every gateway request that only read or queue, kept free of the
 * extra async frame.
 */
export function guarded<T extends object>(repository: T, unguarded: readonly (keyof T & string)[] = []): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repository)) {
    if (typeof value !== 'function' || unguarded.includes(name as keyof T & string)) {
      out[name] = value;
      continue;
    }
    const method = value as (...args: unknown[]) => unknown;
    out[name] = async (...args: unknown[]) => {
      try {
        return await method.apply(repository, args);
      } catch (error) {
        throw asStorageError(error);
      }
    };
  }
  return out as T;
}
