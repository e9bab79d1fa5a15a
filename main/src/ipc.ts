// IPC handlers behind window.wekezaDesktop. Every call is checked twice: the sender frame must be
// on the service origin, and the payload must match the shared zod schema. Failures reject the
// renderer's promise with a generic message (details go to the log only).
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { DeploymentChoice, DeploymentChoiceResult, DesktopBootstrap, DesktopNotification, ThemePreference } from '../../shared/src/desktop.ts';
import { IpcChannel } from './ipc-channels.ts';
import { isServiceUrl } from './navigation-policy.ts';

export interface DesktopIpcHandlers {
  serviceOrigin(): string | null;
  bootstrap(): DesktopBootstrap;
  setTheme(theme: ThemePreference): void;
  notify(notification: DesktopNotification): void;
  /** Saves how this computer runs the service and restarts it (first run, or an admin in Settings). */
  chooseDeployment(choice: DeploymentChoice): Promise<DeploymentChoiceResult>;
}

function assertTrustedSender(event: IpcMainInvokeEvent, channel: string, serviceOrigin: string | null): void {
  const url = event.senderFrame?.url;
  if (!isServiceUrl(url, serviceOrigin)) {
    console.warn(`[main] rejected ${channel} from untrusted frame ${url ?? '(gone)'}`);
    throw new Error('Request refused.');
  }
}

function parsePayload<T>(schema: z.ZodType<T>, payload: unknown, channel: string): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    console.warn(`[main] rejected ${channel}: invalid payload (${z.prettifyError(parsed.error)})`);
    throw new Error('Invalid request.');
  }
  return parsed.data;
}

export function registerIpcHandlers(handlers: DesktopIpcHandlers): void {
  ipcMain.handle(IpcChannel.bootstrap, (event) => {
    assertTrustedSender(event, IpcChannel.bootstrap, handlers.serviceOrigin());
    // Parsed on the way out too: the renderer gets exactly the shared contract, nothing extra.
    return DesktopBootstrap.parse(handlers.bootstrap());
  });
  ipcMain.handle(IpcChannel.setTheme, (event, payload: unknown) => {
    assertTrustedSender(event, IpcChannel.setTheme, handlers.serviceOrigin());
    handlers.setTheme(parsePayload(ThemePreference, payload, IpcChannel.setTheme));
  });
  ipcMain.handle(IpcChannel.notify, (event, payload: unknown) => {
    assertTrustedSender(event, IpcChannel.notify, handlers.serviceOrigin());
    handlers.notify(parsePayload(DesktopNotification, payload, IpcChannel.notify));
  });
  ipcMain.handle(IpcChannel.chooseDeployment, async (event, payload: unknown) => {
    assertTrustedSender(event, IpcChannel.chooseDeployment, handlers.serviceOrigin());
    return DeploymentChoiceResult.parse(await handlers.chooseDeployment(parsePayload(DeploymentChoice, payload, IpcChannel.chooseDeployment)));
  });
}
