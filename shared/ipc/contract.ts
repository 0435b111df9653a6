import { z } from 'zod';
import { ADMIN_KEY_PREFIX } from '../api/ids';
import type { Partner } from '../api/partner';

/**
 * The one IPC contract between the window and the main process. Each channel has a zod input
 * schema (checked in main before any handler runs) and an output type. The preload exposes
 * exactly these channels; the web host serves exactly these over its WebSocket.
 */

export const ACCOUNT_COLORS = ['blue', 'teal', 'grape', 'orange', 'red', 'green', 'indigo', 'pink'] as const;
export type AccountColor = (typeof ACCOUNT_COLORS)[number];

export interface AccountSummary {
  id: string;
  name: string;
  color: AccountColor;
  baseUrl: string;
  /** "…a1b2": the only part of the admin key that ever reaches the window. */
  keyHint: string;
  /** The embedded server of this computer. */
  embedded: boolean;
  /** False when the stored key no longer decrypts here: the account needs its key again. */
  keyUsable: boolean;
  createdAt: string;
  lastSyncedAt: string | null;
}

export interface AccountsState {
  accounts: AccountSummary[];
  selectedId: string | null;
}

export interface VaultStatus {
  /** Secrets are encrypted by the operating system. */
  secure: boolean;
  /** Where secrets go, in words: "macOS Keychain", "libsecret", "no OS encryption (basic_text)". */
  backend: string;
}

export interface PartnerListView {
  accountId: string;
  partners: Partner[];
  /** When this list was last confirmed by the server; null when never. */
  syncedAt: string | null;
}

export interface CreatedPartnerView {
  partner: Partner;
  /** The new key. Shown once; never cached, logged or persisted. */
  apiKey: string;
}

const accountId = z.string({ error: 'expected an account id' }).min(1, { error: 'expected an account id' });

const baseUrl = z
  .string({ error: 'expected a URL' })
  .refine(
    (v) => {
      try {
        const url = new URL(v);
        return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
      } catch {
        return false;
      }
    },
    { error: 'expected an http(s) URL such as https://partners.example.com' },
  );

export const addAccountInput = z.strictObject({
  name: z
    .string({ error: 'expected a string' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(60, { error: 'must be at most 60 characters' }),
  baseUrl,
  adminKey: z
    .string({ error: 'expected an admin key' })
    .startsWith(ADMIN_KEY_PREFIX, { error: `expected a key starting with ${ADMIN_KEY_PREFIX}` })
    .min(ADMIN_KEY_PREFIX.length + 32, { error: 'is too short to be an admin key' }),
  color: z.enum(ACCOUNT_COLORS, { error: `expected one of ${ACCOUNT_COLORS.join(', ')}` }).optional(),
  /** Required to be true when the vault is not secure: the user agreed to weaker storage. */
  allowInsecureStorage: z.boolean({ error: 'expected true or false' }).optional(),
});

export const ipcContract = {
  'vault:status': { input: z.strictObject({}) },
  'accounts:list': { input: z.strictObject({}) },
  'accounts:add': { input: addAccountInput },
  'accounts:select': { input: z.strictObject({ accountId }) },
  'partners:cached': { input: z.strictObject({ accountId }) },
  'partners:refresh': { input: z.strictObject({ accountId }) },
  'partners:create': {
    // The partner fields are checked against the server's own schema in the handler, where the
    // clock lives; here we only insist on an object.
    input: z.strictObject({ accountId, partner: z.record(z.string(), z.unknown(), { error: 'expected an object' }) }),
  },
} as const;

/** What each channel answers. */
export interface IpcOutputs {
  'vault:status': VaultStatus;
  'accounts:list': AccountsState;
  'accounts:add': AccountsState;
  'accounts:select': AccountsState;
  'partners:cached': PartnerListView;
  'partners:refresh': PartnerListView;
  'partners:create': CreatedPartnerView;
}

export type IpcChannel = keyof typeof ipcContract;
export type IpcInput<C extends IpcChannel> = z.input<(typeof ipcContract)[C]['input']>;
export type IpcParsedInput<C extends IpcChannel> = z.output<(typeof ipcContract)[C]['input']>;
export const IPC_CHANNELS = Object.keys(ipcContract) as IpcChannel[];
