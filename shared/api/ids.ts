/** ID and key formats shared by the server (which mints them) and clients (which check them). */
export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const PARTNER_ID_PATTERN = /^partner_[0-9A-Za-z]{24}$/;
export const PARTNER_KEY_PREFIX = 'sk-ant-partner-';
export const ADMIN_KEY_PREFIX = 'sk-ant-admin-';
/** A partner key: the prefix and 43 base62 characters (≈ 256 bits). */
export const PARTNER_KEY_PATTERN = /^sk-ant-partner-[0-9A-Za-z]{43}$/;
/** Admin keys may be supplied by the operator: at least 32 characters after the prefix. */
export const ADMIN_KEY_PATTERN = /^sk-ant-admin-[0-9A-Za-z_-]{32,}$/;

export function isPartnerId(value: string): boolean {
  return PARTNER_ID_PATTERN.test(value);
}

/** The last four characters of a key, as shown to humans: "…a1b2". */
export function keyHint(key: string): string {
  return `…${key.slice(-4)}`;
}
