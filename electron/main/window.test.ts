import { beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (...args: unknown[]) => void;
const electron = vi.hoisted(() => {
  class FakeWebContents {
    listeners = new Map<string, Handler>();
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    }
    on(name: string, handler: Handler) {
      this.listeners.set(name, handler);
      return this;
    }
  }
  class FakeBrowserWindow {
    static created: FakeBrowserWindow[] = [];
    webContents = new FakeWebContents();
    loadURL = vi.fn(async () => undefined);
    loadFile = vi.fn(async () => undefined);
    show = vi.fn();
    once = vi.fn((name: string, handler: Handler) => {
      if (name === 'ready-to-show') handler();
    });
    constructor(public options: Record<string, unknown>) {
      FakeBrowserWindow.created.push(this);
    }
  }
  return { BrowserWindow: FakeBrowserWindow, shell: { openExternal: vi.fn(async () => undefined) } };
});
vi.mock('electron', () => electron);

const { createMainWindow } = await import('./window');

const APP_FILE = '/app/out/renderer/index.html';
const isAppUrl = (url: string) => url === `file://${APP_FILE}`;
type Fake = InstanceType<typeof electron.BrowserWindow>;

function open(location: Parameters<typeof createMainWindow>[0]['location'] = { kind: 'file', file: APP_FILE }): Fake {
  createMainWindow({ location, preloadPath: '/app/out/preload/index.js', iconPath: '/app/icon.png', isAppUrl });
  return electron.BrowserWindow.created.at(-1)!;
}

function navigate(window: Fake, eventName: string, url: string): { preventDefault: ReturnType<typeof vi.fn> } {
  const event = { preventDefault: vi.fn() };
  window.webContents.listeners.get(eventName)!(event, url);
  return event;
}

beforeEach(() => {
  electron.BrowserWindow.created.length = 0;
  vi.clearAllMocks();
});

describe('createMainWindow', () => {
  it('isolates, sandboxes and denies Node to the page, exactly', () => {
    const prefs = open().options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toEqual({
      preload: '/app/out/preload/index.js',
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
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('sets the icon and shows only when ready', () => {
    const window = open();
    expect(window.options['icon']).toBe('/app/icon.png');
    expect(window.options['show']).toBe(false);
    expect(window.show).toHaveBeenCalledTimes(1);
  });

  it('loads the built page from disk, or the dev server URL in development', () => {
    const built = open();
    expect(built.loadFile).toHaveBeenCalledWith(APP_FILE);
    expect(built.loadURL).not.toHaveBeenCalled();

    const dev = open({ kind: 'dev', url: 'http://localhost:5173/' });
    expect(dev.loadURL).toHaveBeenCalledWith('http://localhost:5173/');
    expect(dev.loadFile).not.toHaveBeenCalled();
  });

  it('denies window.open and hands only http(s) links to the browser', () => {
    const { webContents } = open();
    expect(webContents.openHandler!({ url: 'https://docs.anthropic.com/' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://docs.anthropic.com/');

    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) {
      expect(webContents.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('blocks navigation away from the app, opening web links in the browser instead', () => {
    const window = open();
    expect(navigate(window, 'will-navigate', 'https://evil.example/').preventDefault).toHaveBeenCalledTimes(1);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://evil.example/');
    expect(navigate(window, 'will-navigate', 'file:///etc/passwd').preventDefault).toHaveBeenCalledTimes(1);
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('lets the app navigate to its own page', () => {
    expect(navigate(open(), 'will-navigate', `file://${APP_FILE}`).preventDefault).not.toHaveBeenCalled();
  });

  it('blocks redirects away from the app without opening anything', () => {
    const window = open();
    expect(navigate(window, 'will-redirect', 'https://evil.example/').preventDefault).toHaveBeenCalledTimes(1);
    expect(navigate(window, 'will-redirect', `file://${APP_FILE}`).preventDefault).not.toHaveBeenCalled();
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });
});
