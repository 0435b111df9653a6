import { API_GLOBAL, WS_PATH, WS_TOKEN_PARAM, type PartnerdeskApi } from '../../shared/ipc';
import { buildApi, createWsClient, type WsClientOptions } from './transport';

interface HostWindow {
  location: { search: string; host: string };
  [API_GLOBAL]?: PartnerdeskApi;
}

/** The WebSocket address of the web host, carrying the token the page was opened with. */
export function webHostUrl(location: { search: string; host: string }): string {
  const token = new URLSearchParams(location.search).get(WS_TOKEN_PARAM) ?? '';
  return `ws://${location.host}${WS_PATH}?${WS_TOKEN_PARAM}=${encodeURIComponent(token)}`;
}

/**
 * True when the page has neither the Electron preload nor the web host's token: it can never
 * reach the app, so say so at once instead of trying to connect.
 */
export function needsAccessToken(win: HostWindow = window as unknown as HostWindow): boolean {
  if (win[API_GLOBAL]) return false;
  return !new URLSearchParams(win.location.search).get(WS_TOKEN_PARAM);
}

/**
 * The window's only way to the app: the preload's API inside Electron, otherwise the web
 * host's WebSocket (development and end-to-end tests in a plain browser).
 */
export function createApi(
  win: HostWindow = window as unknown as HostWindow,
  options: Omit<WsClientOptions, 'url'> = {},
): PartnerdeskApi {
  const exposed = win[API_GLOBAL];
  if (exposed) return exposed;
  const client = createWsClient({ ...options, url: webHostUrl(win.location) });
  return buildApi((channel, input) => client.call(channel, input));
}
