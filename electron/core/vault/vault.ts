import type { VaultStatus } from '../../../shared/ipc';
import { CoreError } from '../errors';
import type { SecretStore } from '../ports';

/**
 * Admin keys at rest: a one-byte format version, then the SecretStore's ciphertext.
 * The version lets a later release change how keys are sealed (another cipher, a key
 * derivation, a move to the OS keychain) and still recognise, and migrate, older rows.
 */
export const SEALED_KEY_VERSION = 1;

export class Vault {
  constructor(private readonly secrets: SecretStore) {}

  status(): VaultStatus {
    const { secure, backend } = this.secrets.status();
    return { secure, backend };
  }

  seal(adminKey: string): Buffer {
    return Buffer.concat([Buffer.from([SEALED_KEY_VERSION]), this.secrets.encrypt(adminKey)]);
  }

  /** The plaintext key, or a `needs_key` CoreError when it cannot be recovered on this machine. */
  open(sealed: Buffer): string {
    if (sealed.length < 2 || sealed[0] !== SEALED_KEY_VERSION) {
      throw needsKey('it was stored in a format this version of Partnerdesk does not read');
    }
    try {
      return this.secrets.decrypt(sealed.subarray(1));
    } catch {
      // The store's own error may describe the keyring; it never needs to reach the window.
      throw needsKey('it no longer decrypts on this computer (another machine, user or keyring)');
    }
  }

  /** Whether the sealed key still opens here. The plaintext is dropped at once. */
  canOpen(sealed: Buffer): boolean {
    try {
      this.open(sealed);
      return true;
    } catch {
      return false;
    }
  }
}

function needsKey(why: string): CoreError {
  return new CoreError('needs_key', `This account needs its admin key again: ${why}.`);
}
