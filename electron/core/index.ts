import type { DesktopCore, DesktopCoreDeps } from './api';
import { AccountsRepo } from './cache/accounts-repo';
import { openCache } from './cache/db';
import { PartnersRepo } from './cache/partners-repo';
import { KeyUsability, type CoreContext } from './context';
import { attachLogger } from './dispatch';
import { EmbeddedServer } from './embedded/embedded-server';
import { realStartServer } from './embedded/server-port';
import { createHandlers } from './handlers';
import { redactingLogger } from './log/file-logger';
import { PartnersClient } from './partners-client';
import { Vault } from './vault/vault';

export type { DesktopCore, DesktopCoreDeps, EmbeddedServerHandle, IpcHandlers } from './api';
export type { Clock, Logger, SecretStore } from './ports';
export type { RunningServer, StartServer, StartServerOptions } from './embedded/server-port';
export { dispatch } from './dispatch';
export { CoreError } from './errors';
export { createFileLogger, redactingLogger, type FileLogger } from './log/file-logger';
export { redactSecrets } from './log/redact';
export { PartnersClient } from './partners-client';

/**
 * The composition of the desktop core: opens the cache, restores or creates "This computer",
 * and returns one handler per IPC channel. Hosts bind `handlers` through `dispatch`.
 */
export async function createDesktopCore(deps: DesktopCoreDeps): Promise<DesktopCore> {
  const clock = deps.clock ?? (() => new Date());
  const logger = redactingLogger(deps.logger);
  const db = openCache({ dataDir: deps.dataDir, nativeBinding: deps.sqliteNativeBinding, clock });
  const vault = new Vault(deps.secrets);
  const accounts = new AccountsRepo(db);
  const ctx: CoreContext = {
    accounts,
    partners: new PartnersRepo(db),
    vault,
    client: new PartnersClient({ fetch: deps.fetch, timeoutMs: deps.requestTimeoutMs }),
    clock,
    logger,
    keyUsable: new KeyUsability(vault),
  };

  const embedded = new EmbeddedServer({
    dataDir: deps.dataDir,
    accounts,
    vault,
    logger,
    clock,
    startServer: deps.startServer ?? realStartServer,
    sqliteNativeBinding: deps.sqliteNativeBinding,
  });
  try {
    const existing = accounts.findEmbedded();
    if (existing) await embedded.restart(existing);
    else if (accounts.count() === 0) await embedded.startOnFirstRun();
  } catch (error) {
    // Whatever went wrong with "This computer", the other accounts and the cache still work.
    logger.error('embedded server setup failed', { error: error instanceof Error ? error.message : String(error) });
  }

  const handlers = createHandlers(ctx);
  attachLogger(handlers, logger);
  let closed = false;
  return {
    handlers,
    embeddedServer: embedded,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await embedded.stop();
      } finally {
        db.close();
      }
    },
  };
}
