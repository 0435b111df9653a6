import type { IpcChannel, IpcOutputs, IpcParsedInput } from '../../shared/ipc';
import type { StartServer } from './embedded/server-port';
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
  /** Timeout for each call to a Partners API server, in milliseconds (default 10000). */
  requestTimeoutMs?: number;
  /** HTTP for the Partners client; the global fetch by default. */
  fetch?: typeof fetch;
  /** Starts the embedded server; `startServer` from server/start by default (tests inject fakes). */
  startServer?: StartServer;
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
