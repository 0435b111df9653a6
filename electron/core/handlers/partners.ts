import { createPartnerSchema, firstFieldError } from '../../../shared/api';
import type { CreatedPartnerView, IpcParsedInput, PartnerListView } from '../../../shared/ipc';
import { CoreError } from '../errors';
import { requireAccount, withAdminKey, type CoreContext } from '../context';

/** The cache as it stands: instant, works offline, and says how old it is. */
export async function cachedPartners(ctx: CoreContext, input: IpcParsedInput<'partners:cached'>): Promise<PartnerListView> {
  const account = requireAccount(ctx, input.accountId);
  return { accountId: account.id, partners: ctx.partners.list(account.id), syncedAt: account.lastSyncedAt };
}

/**
 * Fetches every partner, then swaps the account's cache in one transaction. Any failure
 * (offline, rejected key, …) is thrown before the cache is touched, so the last good list
 * stays browsable.
 */
export async function refreshPartners(ctx: CoreContext, input: IpcParsedInput<'partners:refresh'>): Promise<PartnerListView> {
  const account = requireAccount(ctx, input.accountId);
  const partners = await withAdminKey(ctx, account, (key) => ctx.client.listAllPartners(account.baseUrl, key));
  const syncedAt = ctx.clock().toISOString();
  ctx.partners.replaceAll(account.id, partners, () => ctx.accounts.setLastSyncedAt(account.id, syncedAt));
  return { accountId: account.id, partners: ctx.partners.list(account.id), syncedAt };
}

export async function createPartner(ctx: CoreContext, input: IpcParsedInput<'partners:create'>): Promise<CreatedPartnerView> {
  const account = requireAccount(ctx, input.accountId);
  // The server's own rules, checked here first, so a bad form never costs a round trip.
  const parsed = createPartnerSchema(ctx.clock).safeParse(input.partner);
  if (!parsed.success) {
    // Fields are named from the channel's input, whose form fields live under `partner`.
    const { field, message } = firstFieldError(parsed.error);
    const fullField = field ? `partner.${field}` : 'partner';
    throw new CoreError('invalid_input', field ? `partner.${message}` : `partner: ${message}`, { field: fullField });
  }
  const created = await withAdminKey(ctx, account, (key) => ctx.client.createPartner(account.baseUrl, key, parsed.data)).catch(
    (error: unknown) => {
      throw underPartner(error);
    },
  );
  // Only the partner is cached; the new key goes back to the window once and nowhere else.
  ctx.partners.upsert(account.id, created.partner);
  ctx.logger.info('partner created', { accountId: account.id, partnerId: created.partner.id });
  return { partner: created.partner, apiKey: created.apiKey };
}

/** A server's 400 names the body's field ("name"); the window's form knows it as "partner.name". */
function underPartner(error: unknown): unknown {
  if (!(error instanceof CoreError) || error.code !== 'invalid_input' || !error.field) return error;
  return new CoreError('invalid_input', `partner.${error.message}`, { status: error.status, field: `partner.${error.field}` });
}
