import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the window's page comes from, and the one test of "is this URL our app?" that the
 * window (navigation), the session (CSP) and the IPC binding (sender check) all share.
 */
export type RendererLocation =
  | { kind: 'dev'; url: string }
  | { kind: 'file'; file: string };

/**
 * electron-vite sets ELECTRON_RENDERER_URL for `electron-vite dev`; a packaged app never
 * listens to it. Otherwise the page is the built out/renderer/index.html next to out/main.
 */
export function rendererLocation(opts: {
  mainDir: string;
  isPackaged: boolean;
  devUrl: string | undefined;
}): RendererLocation {
  if (!opts.isPackaged && opts.devUrl) {
    const url = new URL(opts.devUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'dev', url: url.href };
    throw new Error(`ELECTRON_RENDERER_URL must be an http(s) URL, got ${opts.devUrl}`);
  }
  return { kind: 'file', file: resolve(opts.mainDir, '../renderer/index.html') };
}

/** True only for the app's own page: the dev server's origin, or exactly our index.html. */
export function isAppUrl(location: RendererLocation, candidate: string): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (location.kind === 'dev') return url.origin === new URL(location.url).origin;
  if (url.protocol !== 'file:' || url.host !== '') return false;
  try {
    return resolve(fileURLToPath(url)) === resolve(location.file);
  } catch {
    return false;
  }
}

/** Links we hand to the user's browser: http(s) only, never file:, javascript:, custom schemes. */
export function isExternalWebUrl(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
