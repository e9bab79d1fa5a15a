// The ONE place that decides what web content may do: navigation, new windows, webviews,
// permissions, and the extra CSP header. Installed before any window exists, so no webContents
// is ever unguarded. The decisions themselves live in navigation-policy.ts and csp.ts.
import { app, session, shell, type WebContents } from 'electron';
import { appendContentSecurityPolicy, buildContentSecurityPolicy } from './csp.ts';
import { decideWindowOpen, isAllowedNavigation, isPermissionAllowed, isServiceUrl } from './navigation-policy.ts';

/** `serviceOrigin()` is null until the service is ready; until then nothing is allowed. */
export function installWebContentsGuards(serviceOrigin: () => string | null): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, serviceOrigin));
}

function guardWebContents(contents: WebContents, serviceOrigin: () => string | null): void {
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.action === 'open-external') {
      shell.openExternal(decision.url).catch((error: unknown) => {
        console.error(`[main] could not open ${decision.url} in the browser: ${String(error)}`);
      });
    } else {
      console.warn(`[main] blocked a new window for ${url}`);
    }
    return { action: 'deny' };
  });

  const blockForeignNavigation = (kind: string) => (event: { url: string; preventDefault(): void }) => {
    if (!isAllowedNavigation(event.url, serviceOrigin())) {
      event.preventDefault();
      console.warn(`[main] blocked ${kind} to ${event.url}`);
    }
  };
  contents.on('will-navigate', blockForeignNavigation('navigation'));
  contents.on('will-frame-navigate', blockForeignNavigation('frame navigation'));
  contents.on('will-redirect', blockForeignNavigation('redirect'));

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    console.warn('[main] blocked a <webview>');
  });
}

/** Permission requests/checks for the default session: see GRANTED_PERMISSIONS. */
export function installPermissionHandlers(serviceOrigin: () => string | null): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const requestingUrl = details.requestingUrl || webContents.getURL();
    const allowed = isPermissionAllowed(permission, requestingUrl, serviceOrigin());
    if (!allowed) console.warn(`[main] denied permission "${permission}" to ${requestingUrl}`);
    callback(allowed);
  });
  ses.setPermissionCheckHandler((webContents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin || webContents?.getURL(), serviceOrigin()),
  );
}

/** Adds the desktop CSP header to every response from the service origin. */
export function installContentSecurityPolicy(serviceUrl: string, serviceOrigin: string): void {
  const policy = buildContentSecurityPolicy(serviceUrl);
  session.defaultSession.webRequest.onHeadersReceived({ urls: ['<all_urls>'] }, (details, callback) => {
    if (!isServiceUrl(details.url, serviceOrigin)) {
      callback({});
      return;
    }
    callback({ responseHeaders: appendContentSecurityPolicy(details.responseHeaders, policy) });
  });
}
