// A deliberately small application menu. The Edit menu is there because on macOS copy/paste
// shortcuts only work through menu roles; DevTools exist only in unpackaged (developer) runs.
import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import { formatAboutDetail, type AboutInfo } from './about-info.ts';

export function installApplicationMenu(aboutInfo: () => AboutInfo): void {
  const isMac = process.platform === 'darwin';
  const showAbout = (): void => {
    const options = {
      type: 'info' as const,
      title: 'About Wekeza Risk Workstation',
      message: 'Wekeza Risk Workstation',
      detail: formatAboutDetail(aboutInfo()),
      buttons: ['OK'],
    };
    const parent = BrowserWindow.getFocusedWindow();
    void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
  };

  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { label: '&File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About Wekeza Risk Workstation', click: showAbout }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
