// Pure helpers of scripts/electron-native.mjs: paths, the stamp that lets a rebuild be skipped,
// and the commands. No side effects here, so electron/main/native-binding.test.ts can test them.
import { join } from 'node:path';

/** What is copied from node_modules/better-sqlite3: enough to build it, nothing it built. */
export const COPY_ENTRIES = ['package.json', 'binding.gyp', 'src', 'deps', 'lib'];

export function electronNativePaths(root) {
  const dir = join(root, '.electron-native', 'better-sqlite3');
  return {
    source: join(root, 'node_modules', 'better-sqlite3'),
    dir,
    binary: join(dir, 'build', 'Release', 'better_sqlite3.node'),
    stamp: join(dir, 'electron-native.json'),
  };
}

/** What a finished build records; a build is reused only when all of it matches. */
export function makeStamp({ electron, betterSqlite3, platform, arch }) {
  return { electron, betterSqlite3, platform, arch };
}

/** True when the existing build can be reused: the binary exists and the stamp matches. */
export function isUpToDate(stampText, wanted, binaryExists) {
  if (!binaryExists || !stampText) return false;
  let stamp;
  try {
    stamp = JSON.parse(stampText);
  } catch {
    return false;
  }
  return Object.keys(wanted).every((key) => stamp?.[key] === wanted[key]);
}

/** Downloads a prebuilt Electron binary published by better-sqlite3, when one exists. */
export function prebuildInstallArgs({ electron, arch, platform }) {
  return ['--runtime', 'electron', '--target', electron, '--arch', arch, '--platform', platform, '--verbose'];
}

/** Compiles against Electron's headers (fetched from electronjs.org on first use). */
export function nodeGypArgs({ electron, arch }) {
  return ['rebuild', '--release', '--runtime=electron', `--target=${electron}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'];
}
