import type { VaultStatus } from '../../shared/ipc';

/**
 * The small interfaces through which the desktop core reaches the platform. electron/main
 * implements them with Electron; the web host and tests implement them in plain Node.
 */

/** Encrypts secrets at rest. Electron: safeStorage. Never returns or logs plaintext itself. */
export interface SecretStore {
  status(): VaultStatus;
  encrypt(plaintext: string): Buffer;
  /** Throws when the ciphertext cannot be decrypted here (other machine, user or keyring). */
  decrypt(ciphertext: Buffer): string;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type Clock = () => Date;
