/**
 * Minting and checking of IDs and secrets. Everything random comes from crypto.randomBytes;
 * keys are stored only as SHA-256 hashes, so a stolen database cannot be used to call the API.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ADMIN_KEY_PREFIX, BASE62, PARTNER_KEY_PREFIX, keyHint } from '../shared/api';

/**
 * `length` base62 characters without modulo bias: bytes ≥ 248 (4 × 62) are thrown away,
 * so each character is uniform over the 62 symbols.
 */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export const newPartnerId = (): string => `partner_${randomBase62(24)}`;
export const newRequestId = (): string => `req_${randomBase62(24)}`;
export const newAuditId = (): string => `audit_${randomBase62(24)}`;
export const newAdminKeyId = (): string => `adminkey_${randomBase62(24)}`;

/** 43 base62 characters carry ≈ 256 bits, what the contract asks of a partner key. */
export const newPartnerKey = (): string => `${PARTNER_KEY_PREFIX}${randomBase62(43)}`;
export const newAdminKey = (): string => `${ADMIN_KEY_PREFIX}${randomBase62(43)}`;

/** Hex SHA-256. Keys have 256 random bits, so a fast unsalted hash is enough (no dictionary to attack). */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Constant-time equality of two hex hashes. The store finds a key by its hash (an index
 * lookup on a value the caller cannot steer byte by byte), and this re-check makes the final
 * comparison independent of where the first differing byte is.
 */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

export { keyHint };
