import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAppUrl, isExternalWebUrl, rendererLocation } from './app-origin';

const mainDir = join('/app', 'out', 'main');
const indexHtml = join('/app', 'out', 'renderer', 'index.html');

describe('rendererLocation', () => {
  it('is the built index.html next to out/main', () => {
    expect(rendererLocation({ mainDir, isPackaged: false, devUrl: undefined })).toEqual({ kind: 'file', file: indexHtml });
  });

  it('is the dev server in development only, never in a packaged app', () => {
    expect(rendererLocation({ mainDir, isPackaged: false, devUrl: 'http://localhost:5173' })).toEqual({ kind: 'dev', url: 'http://localhost:5173/' });
    expect(rendererLocation({ mainDir, isPackaged: true, devUrl: 'http://localhost:5173' })).toEqual({ kind: 'file', file: indexHtml });
  });

  it('refuses a dev URL that is not http(s)', () => {
    expect(() => rendererLocation({ mainDir, isPackaged: false, devUrl: 'file:///tmp/x.html' })).toThrow(
      'ELECTRON_RENDERER_URL must be an http(s) URL, got file:///tmp/x.html',
    );
  });
});

describe('isAppUrl', () => {
  const file = { kind: 'file', file: indexHtml } as const;
  const dev = { kind: 'dev', url: 'http://localhost:5173/' } as const;
  const page = pathToFileURL(indexHtml).href;

  it.each([
    [page, true],
    [`${page}#/partners`, true],
    [`${page}?x=1`, true],
    [pathToFileURL(join('/app', 'out', 'renderer', 'other.html')).href, false],
    [pathToFileURL(join('/app', 'out', 'renderer', '..', 'main', 'index.js')).href, false],
    ['file:///etc/passwd', false],
    ['file://remote-host/app/out/renderer/index.html', false],
    ['https://evil.example/', false],
    ['about:blank', false],
    ['garbage', false],
  ])('for a built app: %s → %s', (url, expected) => {
    expect(isAppUrl(file, url)).toBe(expected);
  });

  it.each([
    ['http://localhost:5173/', true],
    ['http://localhost:5173/src/main.tsx', true],
    ['http://localhost:5174/', false],
    ['http://127.0.0.1:5173/', false],
    ['https://localhost:5173/', false],
  ])('in development: %s → %s', (url, expected) => {
    expect(isAppUrl(dev, url)).toBe(expected);
  });
});

describe('isExternalWebUrl', () => {
  it.each([
    ['https://docs.anthropic.com/', true],
    ['http://example.com', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['mailto:a@b.c', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isExternalWebUrl(url)).toBe(expected);
  });
});
