import type { IpcChannel, IpcOutputs, IpcParsedInput } from '../../shared/ipc';
import type { Clock, Logger, SecretStore } from './ports';

/** One handler per IPC channel; each receives input already checked against the contract. */
export type IpcHandlers = {
  [C in IpcChannel]: (input: IpcParsedInput<C>) => Promise<IpcOutputs[C]>;
};

export interface DesktopCoreDeps {
  /** The app's data folder: the cache database, logs and the embedded server's data live here. */
  dataDir: string;
  secrets: SecretStore;
  logger: Logger;
  clock?: Clock;
  /** Path to a better-sqlite3 binary built for the host's ABI (Electron); Node's by default. */
  sqliteNativeBinding?: string;
  /** Timeout for each call to a Partners API server, in milliseconds. */
  requestTimeoutMs?: number;
}

/** The embedded Partners API server ("This computer"), as the hosts see it. */
export interface EmbeddedServerHandle {
  /** Base URL while running, else null. */
  url(): string | null;
  stop(): Promise<void>;
}

export interface DesktopCore {
  handlers: IpcHandlers;
  embeddedServer: EmbeddedServerHandle;
  close(): Promise<void>;
}
