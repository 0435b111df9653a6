import { describe, expect, it } from 'vitest';
import { ADMIN_KEY_PATTERN, PARTNER_ID_PATTERN, PARTNER_KEY_PATTERN } from '../shared/api';
import { hashKey, hashesEqual, newAdminKey, newAuditId, newPartnerId, newPartnerKey, newRequestId, randomBase62 } from './keys';

describe('keys', () => {
  it('mints ids and keys in the contract formats', () => {
    for (let i = 0; i < 200; i++) {
      expect(newPartnerId()).toMatch(PARTNER_ID_PATTERN);
      expect(newPartnerKey()).toMatch(PARTNER_KEY_PATTERN);
      expect(newAdminKey()).toMatch(ADMIN_KEY_PATTERN);
      expect(newRequestId()).toMatch(/^req_[0-9A-Za-z]{24}$/);
      expect(newAuditId()).toMatch(/^audit_[0-9A-Za-z]{24}$/);
    }
  });

  it('uses the whole base62 alphabet', () => {
    expect(new Set(randomBase62(20_000)).size).toBe(62);
  });

  it('hashes with sha256 and compares hashes exactly', () => {
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashKey('é✓')).toBe('1e77cb71920ad52885fab06465a5fcf2e5f98c0382aab36202689431b93b9fb3'); // UTF-8, as stored by every earlier version
    expect(hashesEqual(hashKey('a'), hashKey('a'))).toBe(true);
    expect(hashesEqual(hashKey('a'), hashKey('b'))).toBe(false);
    expect(hashesEqual(hashKey('a'), '')).toBe(false);
  });
});

describe('request IDs', () => {
  it('are unique, in the contract format, and roughly time-ordered', async () => {
    const { newRequestId: id } = await import('./keys');
    const ids = Array.from({ length: 20_000 }, id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const v of ids.slice(0, 500)) expect(v).toMatch(/^req_[0-9A-Za-z]{24}$/);
    const first = id();
    await new Promise((r) => setTimeout(r, 5));
    expect(id().slice(0, 11) > first.slice(0, 11)).toBe(true);
    expect(new Set(ids.map((v) => v.slice(11)).join('')).size).toBe(62);
  });
});
