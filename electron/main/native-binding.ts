import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3 must be built for Electron's ABI in the app and for Node's ABI in tests. One
 * build in node_modules cannot serve both, so scripts/electron-native.mjs builds the Electron one
 * into its own folder and the core opens every database with `nativeBinding` pointing at it.
 * Keep these paths in step with scripts/electron-native-lib.mjs (a test checks they agree).
 */
export const DEV_NATIVE_BINDING = ['.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'];

/** Where electron-builder's extraResources puts the binary inside a packaged app. */
export const PACKAGED_NATIVE_BINDING = ['native', 'better_sqlite3.node'];

export interface NativeBindingContext {
  isPackaged: boolean;
  /** app.getAppPath(): the project folder when run with `electron-vite preview|dev`. */
  appPath: string;
  /** process.resourcesPath: the packaged app's resources folder. */
  resourcesPath: string;
  exists?: (path: string) => boolean;
}

export function resolveSqliteNativeBinding(context: NativeBindingContext): string {
  const exists = context.exists ?? existsSync;
  const path = context.isPackaged
    ? join(context.resourcesPath, ...PACKAGED_NATIVE_BINDING)
    : join(context.appPath, ...DEV_NATIVE_BINDING);
  if (exists(path)) return path;
  throw new Error(
    context.isPackaged
      ? `This copy of Partnerdesk is incomplete: its database engine is missing (${path}). Reinstall Partnerdesk.`
      : `better-sqlite3 has not been built for Electron yet (${path} is missing). ` +
          'Run `npm start` (or `node scripts/electron-native.mjs`) once with network access: it builds it.',
  );
}
