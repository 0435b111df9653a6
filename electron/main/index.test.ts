import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_PREFIX, IPC_CHANNELS } from '../../shared/ipc';

// The composition root, run against a fake Electron and a fake core: it wires the adapters into
// createDesktopCore, serves the core over IPC to its own window only, and closes it on quit.

const root = mkdtempSync(join(tmpdir(), 'partnerdesk-main-'));
const appPath = join(root, 'app');
const userData = join(root, 'userData');
const binary = join(appPath, '.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
mkdirSync(join(binary, '..'), { recursive: true });
writeFileSync(binary, '');
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Fn = (...args: unknown[]) => unknown;
const h = vi.hoisted(() => {
  const appListeners = new Map<string, Fn>();
  const ipcHandlers = new Map<string, Fn>();
  const windows: Array<{ options: Record<string, unknown>; webContents: Record<string, unknown> }> = [];
  const paths = { appPath: '', userData: '' };
  class BrowserWindow {
    webContents: Record<string, unknown>;
    constructor(public options: Record<string, unknown>) {
      const mainFrame = { url: '', parent: null };
      this.webContents = { mainFrame, isDestroyed: () => false, setWindowOpenHandler: () => undefined, on: () => undefined };
      windows.push(this);
    }
    once() {}
    on() {}
    loadURL = async () => undefined;
    loadFile = async (file: string) => {
      (this.webContents['mainFrame'] as { url: string }).url = `file://${file}`;
    };
  }
  const app = {
    isPackaged: false,
    requestSingleInstanceLock: () => true,
    enableSandbox: vi.fn(),
    on: (name: string, listener: Fn) => appListeners.set(name, listener),
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => (name === 'userData' ? paths.userData : ''),
    getAppPath: () => paths.appPath,
    getVersion: () => '0.1.0',
    quit: vi.fn(),
    exit: vi.fn(),
  };
  const session = {
    defaultSession: {
      webRequest: { onHeadersReceived: vi.fn() },
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
    },
  };
  const core = {
    handlers: { 'vault:status': vi.fn(async () => ({ secure: true, backend: 'GNOME libsecret' })) },
    embeddedServer: { url: () => null, stop: async () => undefined },
    close: vi.fn(async () => undefined),
  };
  return {
    appListeners,
    ipcHandlers,
    windows,
    paths,
    core,
    createDesktopCore: vi.fn(async () => core),
    electron: {
      app,
      session,
      BrowserWindow,
      dialog: { showErrorBox: vi.fn() },
      shell: { openExternal: vi.fn() },
      safeStorage: { isEncryptionAvailable: () => true, getSelectedStorageBackend: () => 'gnome_libsecret' },
      ipcMain: { handle: (channel: string, fn: Fn) => ipcHandlers.set(channel, fn), removeHandler: vi.fn() },
    },
  };
});
h.paths.appPath = appPath;
h.paths.userData = userData;

vi.mock('electron', () => h.electron);
vi.mock('../../resources/icon.png?asset', () => ({ default: '/app/resources/icon.png' }));
vi.mock('../core', () => ({
  createDesktopCore: h.createDesktopCore,
  createFileLogger: () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() }),
}));

await import('./index');
await vi.waitFor(() => expect(h.windows).toHaveLength(1));

describe('the composition root', () => {
  it('sandboxes every renderer and hardens the session', () => {
    expect(h.electron.app.enableSandbox).toHaveBeenCalledTimes(1);
    expect(h.electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalledTimes(1);
    expect(h.electron.session.defaultSession.webRequest.onHeadersReceived).toHaveBeenCalledTimes(1);
  });

  it('builds the core on the data folder, the safeStorage vault and the Electron sqlite build', () => {
    expect(h.createDesktopCore).toHaveBeenCalledTimes(1);
    const deps = (h.createDesktopCore.mock.calls[0] as unknown[])[0] as Record<string, unknown>;
    expect(deps['dataDir']).toBe(userData);
    expect(deps['sqliteNativeBinding']).toBe(binary);
    expect((deps['secrets'] as { status(): unknown }).status()).toEqual(
      process.platform === 'linux' ? { secure: true, backend: 'GNOME libsecret' } : expect.anything(),
    );
  });

  it('opens one window on the built preload and page', () => {
    const prefs = h.windows[0]!.options['webPreferences'] as Record<string, unknown>;
    expect(prefs['preload']).toBe(join(__dirname, '../preload/index.js'));
    expect(h.windows[0]!.options['icon']).toBe('/app/resources/icon.png');
  });

  it('serves every channel to its own window, and nobody else', async () => {
    expect([...h.ipcHandlers.keys()].sort()).toEqual(IPC_CHANNELS.map((c) => CHANNEL_PREFIX + c).sort());
    const own = h.windows[0]!.webContents;
    const serve = h.ipcHandlers.get('partnerdesk:vault:status')!;
    await expect(serve({ sender: own, senderFrame: own['mainFrame'] }, {})).resolves.toEqual({
      ok: true,
      value: { secure: true, backend: 'GNOME libsecret' },
    });
    await expect(serve({ sender: {}, senderFrame: own['mainFrame'] }, {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('closes the core before quitting', async () => {
    const event = { preventDefault: vi.fn() };
    h.appListeners.get('will-quit')!(event);
    expect(event.preventDefault).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(h.electron.app.quit).toHaveBeenCalledTimes(1));
    expect(h.core.close).toHaveBeenCalledTimes(1);
    // The second will-quit (from that app.quit) goes through.
    const again = { preventDefault: vi.fn() };
    h.appListeners.get('will-quit')!(again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});
