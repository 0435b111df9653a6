import { randomBytes } from 'node:crypto';
import { ADMIN_KEY_PREFIX, BASE62 } from '../../shared/api';

/** Uniform base62 from the OS CSPRNG (rejection sampling: no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** 48 base62 characters ≈ 285 bits; well above the API's 32-character minimum. */
export function generateAdminKey(): string {
  return `${ADMIN_KEY_PREFIX}${randomBase62(48)}`;
}

export function newAccountId(): string {
  return `acct_${randomBase62(16)}`;
}
