import type { Partner } from '../../shared/api';
import type {
  AccountSummary,
  AccountsState,
  IpcChannel,
  IpcError,
  IpcInput,
  IpcOutputs,
  IpcResult,
  PartnerdeskApi,
} from '../../shared/ipc';
import { IPC_CHANNELS } from '../../shared/ipc';

export type Handler<C extends IpcChannel> = (input: IpcInput<C>) => Promise<IpcResult<IpcOutputs[C]>> | IpcResult<IpcOutputs[C]>;
export type Handlers = { [C in IpcChannel]: Handler<C> };

export interface FakeApi {
  api: PartnerdeskApi;
  calls: { channel: IpcChannel; input: unknown }[];
  callsTo(channel: IpcChannel): unknown[];
}

export const ok = <T,>(value: T): IpcResult<T> => ({ ok: true, value });
export const fail = (error: IpcError): IpcResult<never> => ({ ok: false, error });

/** A test double of the transport: the components get a real PartnerdeskApi shape. */
export function fakeApi(handlers: Partial<Handlers>): FakeApi {
  const calls: FakeApi['calls'] = [];
  const api = {} as Record<IpcChannel, (input: unknown) => Promise<IpcResult<unknown>>>;
  for (const channel of IPC_CHANNELS) {
    api[channel] = async (input: unknown) => {
      calls.push({ channel, input });
      const handler = handlers[channel] as ((input: unknown) => Promise<IpcResult<unknown>> | IpcResult<unknown>) | undefined;
      if (!handler) return fail({ code: 'internal', message: `no fake for ${channel}` });
      return handler(input);
    };
  }
  return {
    api: api as unknown as PartnerdeskApi,
    calls,
    callsTo: (channel) => calls.filter((c) => c.channel === channel).map((c) => c.input),
  };
}

/** A promise the test settles when it chooses. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

let seq = 0;
export function partner(overrides: Partial<Partner> = {}): Partner {
  seq += 1;
  const id = `partner_${String(seq).padStart(24, '0')}`;
  return {
    type: 'partner',
    id,
    name: `Partner ${seq}`,
    description: null,
    permissions: ['messages:write'],
    max_tokens_per_month: null,
    requests_per_minute: null,
    expires_at: null,
    active: true,
    key_hint: '…a1b2',
    key_created_at: '2026-01-05T10:00:00Z',
    last_used_at: null,
    created_at: '2026-01-05T10:00:00Z',
    updated_at: '2026-01-05T10:00:00Z',
    ...overrides,
  };
}

export function account(overrides: Partial<AccountSummary> = {}): AccountSummary {
  return {
    id: 'acct_local',
    name: 'This computer',
    color: 'blue',
    baseUrl: 'http://127.0.0.1:8787',
    keyHint: '…9f3c',
    embedded: true,
    keyUsable: true,
    createdAt: '2026-01-01T00:00:00Z',
    lastSyncedAt: '2026-03-02T14:05:00Z',
    ...overrides,
  };
}

export function accountsState(accounts: AccountSummary[], selectedId: string | null): AccountsState {
  return { accounts, selectedId };
}
