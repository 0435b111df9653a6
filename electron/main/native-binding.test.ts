import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COPY_ENTRIES,
  electronNativePaths,
  isUpToDate,
  makeStamp,
  nodeGypArgs,
  prebuildInstallArgs,
} from '../../scripts/electron-native-lib.mjs';
import { resolveSqliteNativeBinding } from './native-binding';

const appPath = join('/work', 'partnerdesk');
const resourcesPath = join('/opt', 'Partnerdesk', 'resources');
const devBinary = join(appPath, '.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

describe('resolveSqliteNativeBinding', () => {
  it('uses the Electron build next to the project in development', () => {
    expect(resolveSqliteNativeBinding({ isPackaged: false, appPath, resourcesPath, exists: (p) => p === devBinary })).toBe(devBinary);
  });

  it('uses the binary shipped in resources/native when packaged', () => {
    const packaged = join(resourcesPath, 'native', 'better_sqlite3.node');
    expect(resolveSqliteNativeBinding({ isPackaged: true, appPath, resourcesPath, exists: (p) => p === packaged })).toBe(packaged);
  });

  it('tells the developer to run npm start when the Electron build is missing', () => {
    expect(() => resolveSqliteNativeBinding({ isPackaged: false, appPath, resourcesPath, exists: () => false })).toThrow(
      `better-sqlite3 has not been built for Electron yet (${devBinary} is missing). ` +
        'Run `npm start` (or `node scripts/electron-native.mjs`) once with network access: it builds it.',
    );
  });

  it('agrees with the build script on where the binary goes', () => {
    expect(electronNativePaths(appPath).binary).toBe(devBinary);
  });
});

describe('scripts/electron-native-lib', () => {
  const wanted = makeStamp({ electron: '45.6.0', betterSqlite3: '12.11.1', platform: 'linux', arch: 'x64' });
  const stamp = JSON.stringify(wanted);

  it('keeps node_modules/better-sqlite3 apart from the Electron build', () => {
    const paths = electronNativePaths(appPath);
    expect(paths).toEqual({
      source: join(appPath, 'node_modules', 'better-sqlite3'),
      dir: join(appPath, '.electron-native', 'better-sqlite3'),
      binary: devBinary,
      stamp: join(appPath, '.electron-native', 'better-sqlite3', 'electron-native.json'),
    });
    expect(COPY_ENTRIES).toEqual(['package.json', 'binding.gyp', 'src', 'deps', 'lib']);
  });

  it('skips the build only when the binary exists and every stamp field matches', () => {
    expect(isUpToDate(stamp, wanted, true)).toBe(true);
    expect(isUpToDate(stamp, wanted, false)).toBe(false);
    expect(isUpToDate(null, wanted, true)).toBe(false);
    expect(isUpToDate('{not json', wanted, true)).toBe(false);
    for (const change of [{ electron: '45.7.0' }, { betterSqlite3: '12.12.0' }, { platform: 'darwin' }, { arch: 'arm64' }]) {
      expect(isUpToDate(stamp, { ...wanted, ...change }, true)).toBe(false);
    }
  });

  it("targets Electron's runtime in both build commands", () => {
    expect(prebuildInstallArgs(wanted)).toEqual(['--runtime', 'electron', '--target', '45.6.0', '--arch', 'x64', '--platform', 'linux', '--verbose']);
    expect(nodeGypArgs(wanted)).toEqual([
      'rebuild',
      '--release',
      '--runtime=electron',
      '--target=45.6.0',
      '--arch=x64',
      '--dist-url=https://electronjs.org/headers',
    ]);
  });
});
