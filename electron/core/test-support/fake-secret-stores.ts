import type { SecretStore } from '../ports';

const MARKER = Buffer.from('FAKEv1:');
const MASK = 0x5a;

/**
 * Reversible XOR plus a marker: enough to prove the core stores only what the store returns,
 * and that the plaintext key never appears in the database bytes.
 */
export function xorSecretStore(options: { secure?: boolean; backend?: string } = {}): SecretStore {
  const secure = options.secure ?? true;
  return {
    status: () => ({ secure, backend: options.backend ?? (secure ? 'test keychain' : 'no OS encryption (basic_text)') }),
    encrypt: (plaintext) => Buffer.concat([MARKER, Buffer.from(plaintext, 'utf8').map((b) => b ^ MASK)]),
    decrypt: (ciphertext) => {
      if (!ciphertext.subarray(0, MARKER.length).equals(MARKER)) throw new Error('not our ciphertext');
      return Buffer.from(ciphertext.subarray(MARKER.length).map((b) => b ^ MASK)).toString('utf8');
    },
  };
}

/** A keyring that changed under us: encrypts, but cannot decrypt anything. */
export function brokenSecretStore(): SecretStore {
  const inner = xorSecretStore();
  return {
    status: inner.status,
    encrypt: inner.encrypt,
    decrypt: () => {
      throw new Error('keyring locked (sk-ant-admin-should-never-leak)');
    },
  };
}
