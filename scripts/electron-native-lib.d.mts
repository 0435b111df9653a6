export const COPY_ENTRIES: string[];
export interface ElectronNativePaths {
  source: string;
  dir: string;
  binary: string;
  stamp: string;
}
export interface NativeStamp {
  electron: string;
  betterSqlite3: string;
  platform: string;
  arch: string;
}
export function electronNativePaths(root: string): ElectronNativePaths;
export function makeStamp(stamp: NativeStamp): NativeStamp;
export function isUpToDate(stampText: string | null, wanted: NativeStamp, binaryExists: boolean): boolean;
export function prebuildInstallArgs(stamp: Pick<NativeStamp, 'electron' | 'arch' | 'platform'>): string[];
export function nodeGypArgs(stamp: Pick<NativeStamp, 'electron' | 'arch'>): string[];
