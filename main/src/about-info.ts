// Pure text of the Help → About box (no electron import, unit-tested). Support staff ask users
// for exactly these facts, so they are plain text that can be copied.

export interface AboutInfo {
  appVersion: string;
  serviceMode: string | null;
  serviceUrl: string | null;
  dataFolder: string;
  secretStorage: string;
  secretStorageWeak: boolean;
  versions: { electron: string; chrome: string; node: string };
  platform: string;
  arch: string;
}

export function formatAboutDetail(info: AboutInfo): string {
  const lines = [
    `Version: ${info.appVersion}`,
    `Service: ${info.serviceMode ?? 'not running'}${info.serviceUrl ? ` at ${info.serviceUrl}` : ''}`,
    `Data folder: ${info.dataFolder}`,
    `Secret storage: ${info.secretStorage}`,
  ];
  if (info.secretStorageWeak) {
    lines.push('Warning: stored secrets are not protected by an OS secret store on this machine.');
  }
  lines.push(
    '',
    `Electron ${info.versions.electron}, Chromium ${info.versions.chrome}, Node.js ${info.versions.node}`,
    `Platform: ${info.platform} ${info.arch}`,
  );
  return lines.join('\n');
}
