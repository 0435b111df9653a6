import { AccountsRepo } from '../cache/accounts-repo';
import { openCache } from '../cache/db';
import { Vault } from '../vault/vault';
import { xorSecretStore } from './fake-secret-stores';

/** The admin key the vault holds for "This computer", opened the way the core opens it. */
export function storedEmbeddedKey(dataDir: string): string {
  const db = openCache({ dataDir });
  try {
    const account = new AccountsRepo(db).findEmbedded();
    if (!account) throw new Error('no embedded account');
    return new Vault(xorSecretStore()).open(account.keyCiphertext);
  } finally {
    db.close();
  }
}
