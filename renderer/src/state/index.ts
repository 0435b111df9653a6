export { createAppStore, type AppState, type AppStore, type ListPhase, type PartnerListState, type RevealedKey } from './store';
export { StoreProvider, useAppStore } from './context';
