import { beforeEach, describe, expect, it, vi } from 'vitest';

const safeStorage = vi.hoisted(() => ({
  isEncryptionAvailable: vi.fn<() => boolean>(),
  getSelectedStorageBackend: vi.fn<() => string>(),
  // A reversible stand-in for the OS: "enc:" + base64.
  encryptString: vi.fn((plain: string) => Buffer.from(`enc:${Buffer.from(plain).toString('base64')}`)),
  decryptString: vi.fn((cipher: Buffer) => {
    const text = cipher.toString();
    if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(text.slice(4), 'base64').toString();
  }),
}));
vi.mock('electron', () => ({ safeStorage }));

const { createSafeStorageSecretStore } = await import('./safe-storage-secret-store');

beforeEach(() => {
  safeStorage.isEncryptionAvailable.mockReturnValue(true);
  safeStorage.getSelectedStorageBackend.mockReturnValue('gnome_libsecret');
});

describe('safeStorage SecretStore: status', () => {
  it.each([
    ['darwin', { secure: true, backend: 'macOS Keychain' }],
    ['win32', { secure: true, backend: 'Windows DPAPI' }],
  ] as const)('is secure on %s when encryption is available', (platform, status) => {
    expect(createSafeStorageSecretStore(platform).status()).toEqual(status);
  });

  it.each([
    ['gnome_libsecret', { secure: true, backend: 'GNOME libsecret' }],
    ['kwallet', { secure: true, backend: 'KWallet' }],
    ['kwallet5', { secure: true, backend: 'KWallet 5' }],
    ['kwallet6', { secure: true, backend: 'KWallet 6' }],
    ['basic_text', { secure: false, backend: 'no OS encryption (basic_text)' }],
    ['unknown', { secure: false, backend: 'unknown keyring (unknown)' }],
  ])('on Linux with backend %s reports %o', (backend, status) => {
    safeStorage.getSelectedStorageBackend.mockReturnValue(backend);
    expect(createSafeStorageSecretStore('linux').status()).toEqual(status);
  });

  it.each(['darwin', 'win32', 'linux'] as const)('is not secure on %s when encryption is unavailable', (platform) => {
    safeStorage.isEncryptionAvailable.mockReturnValue(false);
    expect(createSafeStorageSecretStore(platform).status()).toEqual({ secure: false, backend: 'no OS encryption available' });
  });

  it('never calls a platform secure that it does not know', () => {
    expect(createSafeStorageSecretStore('freebsd').status()).toEqual({ secure: false, backend: 'unrecognised platform (freebsd)' });
  });
});

describe('safeStorage SecretStore: encrypt and decrypt', () => {
  const secret = 'pdk_admin_0123456789abcdef0123456789abcdef';

  it('round-trips a secret and stores no plaintext', () => {
    const store = createSafeStorageSecretStore('linux');
    const cipher = store.encrypt(secret);
    expect(cipher.toString()).not.toContain(secret);
    expect(store.decrypt(cipher)).toBe(secret);
    expect(safeStorage.encryptString).toHaveBeenCalledWith(secret);
  });

  it('propagates a decrypt failure as an error that carries no ciphertext', () => {
    const store = createSafeStorageSecretStore('linux');
    const foreign = Buffer.from('v10-from-another-machine');
    expect(() => store.decrypt(foreign)).toThrow(new Error('The secret could not be decrypted on this machine.'));
    try {
      store.decrypt(foreign);
    } catch (error) {
      expect((error as Error).cause).toBeInstanceOf(Error);
      expect((error as Error).message).not.toContain('v10-from-another-machine');
    }
  });

  it('refuses to encrypt when the OS offers no encryption', () => {
    safeStorage.isEncryptionAvailable.mockReturnValue(false);
    expect(() => createSafeStorageSecretStore('linux').encrypt(secret)).toThrow('The operating system offers no encryption for secrets right now.');
  });
});
