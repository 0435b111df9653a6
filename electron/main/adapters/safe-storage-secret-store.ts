import { safeStorage } from 'electron';
import type { VaultStatus } from '../../../shared/ipc';
import type { SecretStore } from '../../core/ports';

/** Linux keyrings Chromium may pick, in words the user recognises. */
const LINUX_BACKENDS: Record<string, string> = {
  gnome_libsecret: 'GNOME libsecret',
  kwallet: 'KWallet',
  kwallet5: 'KWallet 5',
  kwallet6: 'KWallet 6',
};

/**
 * The vault's SecretStore, backed by Electron's safeStorage (Keychain, DPAPI, libsecret/KWallet).
 * Only reports `secure: true` when the OS really encrypts: on Linux without a keyring Chromium
 * falls back to `basic_text`, a hard-coded password, which is obfuscation, not encryption.
 *
 * safeStorage's synchronous calls are deprecated in favour of the async ones in Electron 45 but
 * still supported; the SecretStore port is synchronous, so they are used here.
 */
export function createSafeStorageSecretStore(platform: NodeJS.Platform = process.platform): SecretStore {
  return {
    status: () => vaultStatus(platform),
    encrypt(plaintext) {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new Error('The operating system offers no encryption for secrets right now.');
      }
      return safeStorage.encryptString(plaintext);
    },
    decrypt(ciphertext) {
      try {
        return safeStorage.decryptString(ciphertext);
      } catch (cause) {
        // The message never includes the ciphertext or anything derived from it.
        throw new Error('The secret could not be decrypted on this machine.', { cause });
      }
    },
  };
}

function vaultStatus(platform: NodeJS.Platform): VaultStatus {
  if (!safeStorage.isEncryptionAvailable()) {
    return { secure: false, backend: 'no OS encryption available' };
  }
  if (platform === 'darwin') return { secure: true, backend: 'macOS Keychain' };
  if (platform === 'win32') return { secure: true, backend: 'Windows DPAPI' };
  if (platform !== 'linux') return { secure: false, backend: `unrecognised platform (${platform})` };

  const backend = safeStorage.getSelectedStorageBackend();
  if (backend === 'basic_text') return { secure: false, backend: 'no OS encryption (basic_text)' };
  const name = LINUX_BACKENDS[backend];
  if (!name) return { secure: false, backend: `unknown keyring (${backend})` };
  return { secure: true, backend: name };
}
