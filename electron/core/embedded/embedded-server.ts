import { join } from 'node:path';
import { keyHint } from '../../../shared/api';
import type { EmbeddedServerHandle } from '../api';
import type { AccountRecord, AccountsRepo } from '../cache/accounts-repo';
import { normalizeBaseUrl } from '../handlers/accounts';
import type { Clock, Logger } from '../ports';
import { generateAdminKey, newAccountId } from '../random';
import type { Vault } from '../vault/vault';
import type { RunningServer, StartServer, StartServerOptions } from './server-port';

export const EMBEDDED_ACCOUNT_NAME = 'This computer';

export interface EmbeddedServerDeps {
  dataDir: string;
  accounts: AccountsRepo;
  vault: Vault;
  logger: Logger;
  clock: Clock;
  startServer: StartServer;
  sqliteNativeBinding?: string;
}

/**
 * "This computer": a Partners API server inside the app, on loopback, with its data under the
 * app's data folder and the offline sandbox as upstream. Created on the first run so the app
 * works with zero setup; restarted on every later run. A server that cannot start never stops
 * the app: the account simply shows as offline.
 */
export class EmbeddedServer implements EmbeddedServerHandle {
  private running: RunningServer | null = null;

  constructor(private readonly deps: EmbeddedServerDeps) {}

  url(): string | null {
    return this.running?.url ?? null;
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = null;
    await running?.close();
  }

  /** First run (no accounts at all): start a fresh server and add it as the first account. */
  async startOnFirstRun(): Promise<void> {
    const adminKey = generateAdminKey();
    // Sealed even when the vault is not secure, and without asking: this key only opens a
    // server bound to 127.0.0.1 whose own database sits in the same data folder as the
    // cache. Anyone who can read the sealed key can already read (and rewrite) that server's
    // data directly, so weak storage of this one key gives away nothing more.
    const keyCiphertext = this.deps.vault.seal(adminKey);
    const running = await this.tryStart(0, adminKey);
    if (!running) return;
    this.deps.accounts.insert({
      id: newAccountId(),
      name: EMBEDDED_ACCOUNT_NAME,
      color: 'teal',
      baseUrl: normalizeBaseUrl(running.url),
      keyCiphertext,
      keyHint: keyHint(adminKey),
      embedded: true,
      createdAt: this.deps.clock().toISOString(),
    });
    this.deps.logger.info('embedded server added as the first account', { url: running.url });
  }

  /** Later runs: same port as last time when it is free, else any, and the account follows. */
  async restart(account: AccountRecord): Promise<void> {
    const savedPort = Number(new URL(account.baseUrl).port) || 0;
    // Passed again so the server accepts it even if its own data folder was reset.
    const adminKey = this.openKeyIfPossible(account);
    let running = await this.tryStart(savedPort, adminKey);
    if (!running && savedPort !== 0) running = await this.tryStart(0, adminKey);
    if (!running) return;
    const url = normalizeBaseUrl(running.url);
    if (url !== account.baseUrl) {
      this.deps.accounts.updateBaseUrl(account.id, url);
      this.deps.logger.info('embedded server moved to a new port', { url });
    }
    if (running.generatedAdminKey) {
      // The server had no key it recognised (its data was wiped and ours did not decrypt):
      // adopt the one it just made so the account works again.
      this.deps.accounts.updateKey(account.id, this.deps.vault.seal(running.generatedAdminKey), keyHint(running.generatedAdminKey));
    }
  }

  /** A key that no longer decrypts still lets the server start: it keeps the keys it has. */
  private openKeyIfPossible(account: AccountRecord): string | undefined {
    try {
      return this.deps.vault.open(account.keyCiphertext);
    } catch {
      this.deps.logger.warn('embedded account key does not decrypt; starting its server without it', { accountId: account.id });
      return undefined;
    }
  }

  private async tryStart(port: number, adminKey: string | undefined): Promise<RunningServer | null> {
    const options: StartServerOptions = {
      dataDir: join(this.deps.dataDir, 'server'),
      port,
      host: '127.0.0.1',
      upstream: 'sandbox',
      clock: this.deps.clock,
      log: (line) => this.deps.logger.info('embedded server', { line }),
    };
    if (adminKey) options.adminKey = adminKey;
    if (this.deps.sqliteNativeBinding) options.sqliteNativeBinding = this.deps.sqliteNativeBinding;
    try {
      const start = this.deps.startServer;
      this.running = await start(options);
      return this.running;
    } catch (error) {
      this.deps.logger.warn('embedded server did not start', {
        port,
        error: error instanceof Error ? error.message : String(error),
      });
      return null;
    }
  }
}
