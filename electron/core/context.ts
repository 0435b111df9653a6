import type { AccountRecord } from './cache/accounts-repo';
import type { AccountsRepo } from './cache/accounts-repo';
import type { PartnersRepo } from './cache/partners-repo';
import { isCoreError, unknownAccount } from './errors';
import type { PartnersClient } from './partners-client';
import type { Clock, Logger } from './ports';
import type { Vault } from './vault/vault';

/** Everything the handlers share: built once in createDesktopCore, injected into each handler file. */
export interface CoreContext {
  accounts: AccountsRepo;
  partners: PartnersRepo;
  vault: Vault;
  client: PartnersClient;
  clock: Clock;
  logger: Logger;
  keyUsable: KeyUsability;
}

export function requireAccount(ctx: CoreContext, accountId: string): AccountRecord {
  const account = ctx.accounts.get(accountId);
  if (!account) throw unknownAccount(accountId);
  return account;
}

/**
 * Runs `use` with the account's plaintext admin key. The key exists only for the duration of
 * the call (a local, never stored or logged); a key that no longer opens marks the account
 * as needing its key and rejects with `needs_key`.
 */
export async function withAdminKey<T>(ctx: CoreContext, account: AccountRecord, use: (key: string) => Promise<T>): Promise<T> {
  let key: string;
  try {
    key = ctx.vault.open(account.keyCiphertext);
  } catch (error) {
    if (isCoreError(error) && error.code === 'needs_key') ctx.keyUsable.remember(account.id, false);
    throw error;
  }
  return use(key);
}

/**
 * Whether each account's key still opens, checked once per account per run: decrypting on
 * every list would put the plaintext in memory far more often than requests need it.
 */
export class KeyUsability {
  private readonly known = new Map<string, boolean>();

  constructor(private readonly vault: Vault) {}

  isUsable(account: AccountRecord): boolean {
    let usable = this.known.get(account.id);
    if (usable === undefined) {
      usable = this.vault.canOpen(account.keyCiphertext);
      this.known.set(account.id, usable);
    }
    return usable;
  }

  remember(accountId: string, usable: boolean): void {
    this.known.set(accountId, usable);
  }
}
