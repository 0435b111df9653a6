import type { IpcHandlers } from '../api';
import type { CoreContext } from '../context';
import { accountsState, addAccount, selectAccount } from './accounts';
import { cachedPartners, createPartner, refreshPartners } from './partners';

/** One line per channel: the map is typed against the contract, so a missing channel fails to compile. */
export function createHandlers(ctx: CoreContext): IpcHandlers {
  return {
    'vault:status': async () => ctx.vault.status(),
    'accounts:list': async () => accountsState(ctx),
    'accounts:add': (input) => addAccount(ctx, input),
    'accounts:select': (input) => selectAccount(ctx, input),
    'partners:cached': (input) => cachedPartners(ctx, input),
    'partners:refresh': (input) => refreshPartners(ctx, input),
    'partners:create': (input) => createPartner(ctx, input),
  };
}
