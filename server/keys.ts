/**
 * Minting and checking of IDs and secrets. Everything random comes from crypto.randomBytes;
 * keys are stored only as SHA-256 hashes, so a stolen database cannot be used to call the API.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
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

/**
 * For public IDs minted on the hot path (request IDs, one per request): the same unbiased
 * base62 from crypto.randomBytes, but drawn from a 4 KB block fetched at once (as Node's own
 * crypto.randomUUID does), instead of one randomBytes call per ID. Secrets (keys) never use it.
 */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;

function pooledBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    if (poolAt >= pool.length) {
      pool = randomBytes(POOL_SIZE);
      poolAt = 0;
    }
    const byte = pool[poolAt++]!;
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out;
}

/** `ms` in `width` base62 digits, most significant first (BASE62 is in ASCII order, so these sort). */
function base62Time(ms: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = BASE62[ms % 62]! + out;
    ms = Math.floor(ms / 62);
  }
  return out;
}

export const newPartnerId = (): string => `partner_${randomBase62(24)}`;
/**
 * `req_` + 7 base62 digits of the millisecond clock (62⁷ ms lasts until 2081) + 17 random ones
 * (≈ 101 bits). Still 24 base62 characters, but roughly time-ordered: request_log's unique index
 * then grows at its right edge instead of dirtying a random page per insert (half the write cost).
 */
export const newRequestId = (): string => `req_${base62Time(Date.now(), 7)}${pooledBase62(17)}`;
export const newAuditId = (): string => `audit_${randomBase62(24)}`;
export const newAdminKeyId = (): string => `adminkey_${randomBase62(24)}`;

/** 43 base62 characters carry ≈ 256 bits, what the contract asks of a partner key. */
export const newPartnerKey = (): string => `${PARTNER_KEY_PREFIX}${randomBase62(43)}`;
export const newAdminKey = (): string => `${ADMIN_KEY_PREFIX}${randomBase62(43)}`;

/** Hex SHA-256. Keys have 256 random bits, so a fast unsalted hash is enough (no dictionary to attack). */
export function hashKey(key: string): string {
  // One-shot: about half the cost of createHash().update().digest() on every request's key.
  return hash('sha256', key, 'hex');
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
