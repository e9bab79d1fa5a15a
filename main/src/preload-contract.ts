// Compile-time only: proves that Electron's real contextBridge and ipcRenderer satisfy the
// narrow ElectronPreloadModule type preload.ts declares for itself (see the comment there), so
// `tsc -p main` still checks the preload against Electron's own types. Nothing here is bundled.
import type { contextBridge, ipcRenderer } from 'electron';
import type { ElectronPreloadModule } from './preload.ts';

type Satisfies<T extends ElectronPreloadModule> = T;

export type ElectronSatisfiesPreloadContract = Satisfies<{
  contextBridge: typeof contextBridge;
  ipcRenderer: typeof ipcRenderer;
}>;
