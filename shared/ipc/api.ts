import type { IpcChannel, IpcInput, IpcOutputs } from './contract';
import type { IpcResult } from './errors';

/** What the window sees: one method per channel, each answering an IpcResult. */
export type PartnerdeskApi = {
  [C in IpcChannel]: (input: IpcInput<C>) => Promise<IpcResult<IpcOutputs[C]>>;
};

/** The name under which the preload exposes the API on `window`. */
export const API_GLOBAL = 'partnerdesk';

/** Every channel name carries this prefix on the wire, so main only answers its own channels. */
export const CHANNEL_PREFIX = 'partnerdesk:';
