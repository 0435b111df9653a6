import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AccountSummary,
  AccountsState,
  IpcError,
  IpcInput,
  IpcResult,
  PartnerdeskApi,
  PartnerListView,
  VaultStatus,
  CreatedPartnerView,
} from '../../../shared/ipc';

export type ListPhase = 'loading' | 'refreshing' | 'ready';

export interface PartnerListState {
  view: PartnerListView | null;
  phase: ListPhase;
  /** Why the last refresh failed; null after a good one. */
  refreshError: IpcError | null;
}

/** A key shown once, right after creation. Cleared as soon as its dialog closes. */
export interface RevealedKey {
  partnerName: string;
  apiKey: string;
}

export interface AppState {
  boot: 'loading' | 'ready' | 'failed';
  bootError: IpcError | null;
  vault: VaultStatus | null;
  accounts: AccountSummary[];
  selectedId: string | null;
  /** Partner lists by account id, so accounts never bleed into each other. */
  lists: Record<string, PartnerListState>;
  revealedKey: RevealedKey | null;
  /** A short confirmation shown above the page ("Added Acme…"); null when there is none. */
  notice: string | null;

  init(): Promise<void>;
  selectAccount(accountId: string): Promise<IpcResult<AccountsState>>;
  loadPartners(accountId: string): Promise<void>;
  addAccount(input: IpcInput<'accounts:add'>): Promise<IpcResult<AccountsState>>;
  createPartner(accountId: string, partner: Record<string, unknown>): Promise<IpcResult<CreatedPartnerView>>;
  clearRevealedKey(): void;
  dismissNotice(): void;
}

export type AppStore = StoreApi<AppState>;

export function createAppStore(api: PartnerdeskApi): AppStore {
  return createStore<AppState>()((set, get) => {
    function setList(accountId: string, patch: Partial<PartnerListState>): void {
      set((state) => {
        const current = state.lists[accountId] ?? { view: null, phase: 'loading', refreshError: null };
        return { lists: { ...state.lists, [accountId]: { ...current, ...patch } } };
      });
    }

    function applyAccounts(value: AccountsState): void {
      set({ accounts: value.accounts, selectedId: value.selectedId });
    }

    return {
      boot: 'loading',
      bootError: null,
      vault: null,
      accounts: [],
      selectedId: null,
      lists: {},
      revealedKey: null,
      notice: null,

      async init() {
        set({ boot: 'loading', bootError: null });
        const [vault, accounts] = await Promise.all([api['vault:status']({}), api['accounts:list']({})]);
        if (vault.ok) set({ vault: vault.value });
        if (!accounts.ok) {
          set({ boot: 'failed', bootError: accounts.error });
          return;
        }
        applyAccounts(accounts.value);
        set({ boot: 'ready', bootError: null });
        const { selectedId } = get();
        if (selectedId) await get().loadPartners(selectedId);
      },

      async selectAccount(accountId) {
        set({ notice: null });
        const result = await api['accounts:select']({ accountId });
        if (result.ok) {
          applyAccounts(result.value);
          const { selectedId } = get();
          if (selectedId) await get().loadPartners(selectedId);
        }
        return result;
      },

      async loadPartners(accountId) {
        const existing = get().lists[accountId];
        setList(accountId, { phase: existing?.view ? 'refreshing' : 'loading' });

        // Cache first: the list is browsable at once, offline included.
        const cached = await api['partners:cached']({ accountId });
        if (cached.ok) setList(accountId, { view: cached.value, phase: 'refreshing' });

        const fresh = await api['partners:refresh']({ accountId });
        if (fresh.ok) {
          setList(accountId, { view: fresh.value, phase: 'ready', refreshError: null });
          set((state) => ({
            accounts: state.accounts.map((a) => (a.id === accountId ? { ...a, lastSyncedAt: fresh.value.syncedAt } : a)),
          }));
        } else {
          setList(accountId, { phase: 'ready', refreshError: fresh.error });
        }
      },

      async addAccount(input) {
        const before = new Set(get().accounts.map((a) => a.id));
        const result = await api['accounts:add'](input);
        if (result.ok) {
          applyAccounts(result.value);
          // Switch to the account just added: that is what the user wants to look at next.
          const added = result.value.accounts.find((a) => !before.has(a.id));
          if (added) {
            const selected = await api['accounts:select']({ accountId: added.id });
            if (selected.ok) applyAccounts(selected.value);
            set({ notice: `Added ${added.name}. It is now the selected account.` });
          }
          const { selectedId } = get();
          if (selectedId) void get().loadPartners(selectedId);
        }
        return result;
      },

      async createPartner(accountId, partner) {
        const result = await api['partners:create']({ accountId, partner });
        if (result.ok) {
          const { partner: created, apiKey } = result.value;
          const list = get().lists[accountId];
          const view: PartnerListView = list?.view
            ? { ...list.view, partners: [created, ...list.view.partners.filter((p) => p.id !== created.id)] }
            : { accountId, partners: [created], syncedAt: null };
          setList(accountId, { view, phase: list?.phase ?? 'ready' });
          set({ revealedKey: { partnerName: created.name, apiKey } });
        }
        return result;
      },

      clearRevealedKey() {
        set({ revealedKey: null });
      },

      dismissNotice() {
        set({ notice: null });
      },
    };
  });
}
