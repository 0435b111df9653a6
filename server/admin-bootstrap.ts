/**
 * Makes sure the server has an admin key: registers the operator's key (idempotent, by hash),
 * or on a first start with none mints one that the caller prints once.
 */
import { ADMIN_KEY_PATTERN } from '../shared/api';
import { hashKey, keyHint, newAdminKey, newAdminKeyId } from './keys';
import type { Store } from './store/types';

export const BAD_ADMIN_KEY_MESSAGE =
  'the admin key must start with sk-ant-admin- followed by at least 32 characters from [0-9A-Za-z_-]';

export const REVOKED_ADMIN_KEY_MESSAGE =
  'the admin key given in PARTNERDESK_ADMIN_KEY has been revoked (admin-keys revoke); set a new one';

/** Returns the generated key, or null when the operator gave one or one already existed. */
export async function bootstrapAdminKey(store: Store, now: Date, adminKey?: string): Promise<string | null> {
  const createdAt = now.toISOString();
  if (adminKey !== undefined) {
    // Never echo the key in the message: it may be a real secret with a typo.
    if (!ADMIN_KEY_PATTERN.test(adminKey)) throw new Error(BAD_ADMIN_KEY_MESSAGE);
    const keyHash = hashKey(adminKey);
    await store.adminKeys.ensure({ id: newAdminKeyId(), name: 'PARTNERDESK_ADMIN_KEY', keyHash, keyHint: keyHint(adminKey), createdAt });
    // A revoked key stays revoked: starting "fine" with a key that every request refuses
    // would lock the operator out without a word.
    if ((await store.adminKeys.findByKeyHash(keyHash)) === null) throw new Error(REVOKED_ADMIN_KEY_MESSAGE);
    return null;
  }
  if ((await store.adminKeys.count()) > 0) return null;
  const key = newAdminKey();
  await store.adminKeys.ensure({ id: newAdminKeyId(), name: 'generated at first start', keyHash: hashKey(key), keyHint: keyHint(key), createdAt });
  return key;
}
