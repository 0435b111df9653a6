import { BrowserWindow, shell, type WebContents } from 'electron';
import { isExternalWebUrl, type RendererLocation } from './app-origin';

export interface MainWindowOptions {
  location: RendererLocation;
  /** Built preload script (out/preload/index.js). */
  preloadPath: string;
  /** The window icon (Linux shows it; macOS and Windows use the app's own icon). */
  iconPath?: string;
  isAppUrl(url: string): boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Partnerdesk',
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    autoHideMenuBar: true,
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    // Written out literally (not built by a helper) so electronegativity can read them.
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      // Middle-click would ask for a new window; the open handler denies it anyway.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenWebContents(window.webContents, options.isAppUrl);
  window.once('ready-to-show', () => window.show());

  if (options.location.kind === 'dev') void window.loadURL(options.location.url);
  else void window.loadFile(options.location.file);
  return window;
}

/**
 * No new windows (http(s) links go to the user's browser instead) and no navigation away from
 * the app: a page that could navigate elsewhere would keep our preload's API.
 */
export function hardenWebContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.setWindowOpenHandler(({ url }) => {
    openInBrowser(url);
    return { action: 'deny' };
  });
  const stayInApp = (event: Electron.Event, url: string): void => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openInBrowser(url);
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
}

function openInBrowser(url: string): void {
  if (isExternalWebUrl(url)) void shell.openExternal(url);
}
