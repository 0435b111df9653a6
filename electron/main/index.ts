import { join } from 'node:path';
import { app, dialog, session, type BrowserWindow } from 'electron';
import icon from '../../resources/icon.png?asset';
import { createDesktopCore, createFileLogger, type DesktopCore } from '../core';
import { createSafeStorageSecretStore } from './adapters/safe-storage-secret-store';
import { isAppUrl, rendererLocation } from './app-origin';
import { bindIpc } from './ipc-binding';
import { resolveSqliteNativeBinding } from './native-binding';
import { secureSession } from './session-security';
import { createMainWindow } from './window';

/**
 * Composition root: the only place that knows both Electron and the desktop core. It builds
 * the Electron adapters, hands them to the core, serves the core over IPC and opens the window.
 */

const CLOSE_TIMEOUT_MS = 5_000;

const location = rendererLocation({
  mainDir: __dirname,
  isPackaged: app.isPackaged,
  devUrl: process.env['ELECTRON_RENDERER_URL'],
});
const isOurPage = (url: string): boolean => isAppUrl(location, url);

let core: DesktopCore | null = null;
let mainWindow: BrowserWindow | null = null;

function openWindow(): void {
  mainWindow = createMainWindow({
    location,
    preloadPath: join(__dirname, '../preload/index.js'),
    iconPath: icon,
    isAppUrl: isOurPage,
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

function focusWindow(): void {
  if (!core) return; // still starting: the window opens when the core is ready
  if (!mainWindow) return openWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function start(): Promise<void> {
  secureSession(session.defaultSession, { dev: location.kind === 'dev' });
  const dataDir = app.getPath('userData');
  const logger = createFileLogger(dataDir);
  logger.info('starting', { version: app.getVersion(), electron: process.versions.electron, platform: process.platform });

  core = await createDesktopCore({
    dataDir,
    secrets: createSafeStorageSecretStore(),
    logger,
    sqliteNativeBinding: resolveSqliteNativeBinding({
      isPackaged: app.isPackaged,
      appPath: app.getAppPath(),
      resourcesPath: process.resourcesPath,
    }),
  });
  bindIpc(core.handlers, { ownWebContents: () => mainWindow?.webContents ?? null, isAppUrl: isOurPage });
  openWindow();
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  dialog.showErrorBox('Partnerdesk could not start', message);
  app.exit(1);
}

if (!app.requestSingleInstanceLock()) {
  // Another Partnerdesk is running: it gets focused through 'second-instance'; this one leaves.
  app.quit();
} else {
  // Every renderer sandboxed, whatever a window's options say.
  app.enableSandbox();
  app.on('second-instance', focusWindow);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.on('activate', () => {
    if (core && !mainWindow) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Close the core (embedded server, database) before quitting; never hang on it.
  let closing = false;
  app.on('will-quit', (event) => {
    if (!core || closing) return;
    closing = true;
    event.preventDefault();
    const closed = core.close().catch(() => undefined);
    const timeout = new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS));
    void Promise.race([closed, timeout]).finally(() => {
      core = null;
      app.quit();
    });
  });

  app.whenReady().then(start).catch(fail);
}
