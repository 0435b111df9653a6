// Builds better-sqlite3 for Electron's ABI into .electron-native/better-sqlite3/, leaving
// node_modules/better-sqlite3 (Node's ABI: tests, server, web host) untouched, so `npm test`
// and `npm start` both work in one checkout, in either order. The main process loads this
// binary through better-sqlite3's `nativeBinding` option; packaging ships it as an extra resource.
//
// Needs the network the first time (prebuilt download or Electron headers); afterwards it is a
// no-op while the stamp matches, so it is safe offline. Never run it in tests or CI.
// Usage: node scripts/electron-native.mjs [--arch x64|arm64|…] [--force]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COPY_ENTRIES, electronNativePaths, isUpToDate, makeStamp, nodeGypArgs, prebuildInstallArgs } from './electron-native-lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const args = process.argv.slice(2);
const flag = (name) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};

const version = (pkg) => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const paths = electronNativePaths(root);
const wanted = makeStamp({
  electron: version('electron'),
  betterSqlite3: version('better-sqlite3'),
  platform: process.platform,
  arch: flag('--arch') ?? process.env.npm_config_arch ?? process.arch,
});
const label = `better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} (${wanted.platform}-${wanted.arch})`;

const stampText = existsSync(paths.stamp) ? readFileSync(paths.stamp, 'utf8') : null;
if (!args.includes('--force') && isUpToDate(stampText, wanted, existsSync(paths.binary))) {
  console.log(`electron-native: ${label} is already built.`);
  process.exit(0);
}

console.log(`electron-native: building ${label} in ${paths.dir}`);
rmSync(paths.dir, { recursive: true, force: true });
mkdirSync(paths.dir, { recursive: true });
for (const entry of COPY_ENTRIES) cpSync(join(paths.source, entry), join(paths.dir, entry), { recursive: true });

const run = (command, commandArgs) =>
  spawnSync(command, commandArgs, { cwd: paths.dir, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;

const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

function nodeGyp(gypArgs) {
  try {
    return run(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), ...gypArgs]);
  } catch {
    // not in node_modules: use npm's own copy, else npx
  }
  if (process.env.npm_config_node_gyp) return run(process.execPath, [process.env.npm_config_node_gyp, ...gypArgs]);
  return run('npx', ['--yes', 'node-gyp', ...gypArgs]);
}

function build() {
  if (run(bin('prebuild-install'), prebuildInstallArgs(wanted)) && existsSync(paths.binary)) return true;
  console.log('electron-native: no prebuilt binary; compiling against Electron headers (needs a C++ toolchain)…');
  return nodeGyp(nodeGypArgs(wanted)) && existsSync(paths.binary);
}

const built = build();

if (!built) {
  console.error(
    [
      `electron-native: could not build ${label}.`,
      'It needs network access (to github.com for a prebuilt binary, or electronjs.org for headers)',
      'and, for the compile fallback, Python 3 and a C++ toolchain (build-essential / Xcode CLT / VS Build Tools).',
      'node_modules/better-sqlite3 was not touched: `npm test` still works.',
    ].join('\n'),
  );
  process.exit(1);
}
writeFileSync(paths.stamp, `${JSON.stringify(wanted, null, 2)}\n`);
console.log(`electron-native: built ${paths.binary}`);
