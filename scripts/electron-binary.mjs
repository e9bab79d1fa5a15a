// Finds the Electron executable WITHOUT require('electron'): since electron 45 that require
// tries to download the binary, which hangs or fails on machines without access to its host.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

/** @returns {{ path: string } | { path: null, reason: string }} */
export function findElectronBinary() {
  const require = createRequire(import.meta.url);
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed: run npm ci' };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? path.join(override, relative ?? 'electron') : relative ? path.join(pkgDir, 'dist', relative) : null;
  if (candidate && fs.existsSync(candidate)) return { path: candidate };
  return { path: null, reason: 'it was not downloaded: its download host is unreachable from this machine' };
}
