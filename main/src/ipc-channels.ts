// IPC channel names, in one place so main and preload cannot drift apart. No imports: the
// preload (and, through its exported type, the DOM-only renderer) loads this file.
export const IpcChannel = {
  bootstrap: 'desktop:bootstrap',
  setTheme: 'desktop:set-theme',
  notify: 'desktop:notify',
  chooseDeployment: 'desktop:choose-deployment',
  /** main → renderer: open this in-app path (a notification was clicked). */
  navigate: 'desktop:navigate',
} as const;

export type IpcChannel = (typeof IpcChannel)[keyof typeof IpcChannel];
