import { keyHint } from '../../../shared/api';
import {
  ACCOUNT_COLORS,
  type AccountColor,
  type AccountSummary,
  type AccountsState,
  type IpcParsedInput,
} from '../../../shared/ipc';
import type { AccountRecord } from '../cache/accounts-repo';
import { CoreError } from '../errors';
import { requireAccount, type CoreContext } from '../context';
import { newAccountId } from '../random';

/** What the window may know of an account: never the key, only its hint. */
export function toSummary(ctx: CoreContext, account: AccountRecord): AccountSummary {
  return {
    id: account.id,
    name: account.name,
    color: account.color,
    baseUrl: account.baseUrl,
    keyHint: account.keyHint,
    embedded: account.embedded,
    keyUsable: ctx.keyUsable.isUsable(account),
    createdAt: account.createdAt,
    lastSyncedAt: account.lastSyncedAt,
  };
}

export function accountsState(ctx: CoreContext): AccountsState {
  return { accounts: ctx.accounts.list().map((a) => toSummary(ctx, a)), selectedId: ctx.accounts.selectedId() };
}

/** "https://host/api/" and "https://host/api" are the same server; store one spelling. */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '');
}

function nextColor(used: readonly AccountColor[]): AccountColor {
  // Teal marks "This computer"; other accounts take the first colour nobody has yet.
  const palette = ACCOUNT_COLORS.filter((c) => c !== 'teal');
  return palette.find((c) => !used.includes(c)) ?? palette[used.length % palette.length] ?? 'blue';
}

export async function addAccount(ctx: CoreContext, input: IpcParsedInput<'accounts:add'>): Promise<AccountsState> {
  const vault = ctx.vault.status();
  if (!vault.secure && input.allowInsecureStorage !== true) {
    throw new CoreError(
      'insecure_storage',
      `This computer offers no encryption for saved secrets (${vault.backend}). The admin key would be ` +
        'stored in a form other programs running as you could read. Agree to weaker storage to save it anyway.',
      { field: 'allowInsecureStorage' },
    );
  }
  const baseUrl = normalizeBaseUrl(input.baseUrl);
  const existing = ctx.accounts.list();
  const twin = existing.find((a) => a.baseUrl === baseUrl);
  if (twin) {
    throw new CoreError('invalid_input', `This server is already added as "${twin.name}"`, { field: 'baseUrl' });
  }
  // One call before saving, so a wrong URL or key is reported now rather than at first sync.
  await ctx.client.checkAccess(baseUrl, input.adminKey);

  const account = ctx.accounts.insert({
    id: newAccountId(),
    name: input.name,
    color: input.color ?? nextColor(existing.map((a) => a.color)),
    baseUrl,
    keyCiphertext: ctx.vault.seal(input.adminKey),
    keyHint: keyHint(input.adminKey),
    embedded: false,
    createdAt: ctx.clock().toISOString(),
  });
  ctx.keyUsable.remember(account.id, true);
  // The user added it to work in it: switch to it.
  ctx.accounts.select(account.id);
  ctx.logger.info('account added', { accountId: account.id, host: new URL(baseUrl).host });
  return accountsState(ctx);
}

export async function selectAccount(ctx: CoreContext, input: IpcParsedInput<'accounts:select'>): Promise<AccountsState> {
  requireAccount(ctx, input.accountId);
  ctx.accounts.select(input.accountId);
  return accountsState(ctx);
}
