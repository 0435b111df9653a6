import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors';
import { brokenSecretStore, xorSecretStore } from '../test-support/fake-secret-stores';
import { SEALED_KEY_VERSION, Vault } from './vault';

const KEY = `sk-ant-admin-${'k'.repeat(40)}`;

describe('Vault', () => {
  it('seals behind a version byte and opens again', () => {
    const vault = new Vault(xorSecretStore());
    const sealed = vault.seal(KEY);
    expect(sealed[0]).toBe(SEALED_KEY_VERSION);
    expect(sealed.toString('latin1')).not.toContain(KEY);
    expect(vault.open(sealed)).toBe(KEY);
    expect(vault.canOpen(sealed)).toBe(true);
  });

  it('answers needs_key, without the store\'s own words, when a key does not open', () => {
    const sealed = new Vault(xorSecretStore()).seal(KEY);
    const broken = new Vault(brokenSecretStore());
    expect(broken.canOpen(sealed)).toBe(false);
    try {
      broken.open(sealed);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CoreError);
      expect((error as CoreError).code).toBe('needs_key');
      expect((error as CoreError).message).not.toMatch(/keyring locked|sk-ant/);
    }
  });

  it('does not guess at a format it does not know', () => {
    const vault = new Vault(xorSecretStore());
    const future = Buffer.concat([Buffer.from([9]), vault.seal(KEY).subarray(1)]);
    expect(() => vault.open(future)).toThrow(/format/);
  });
});
