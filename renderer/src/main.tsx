import './zodConfig.ts';
import '@fontsource-variable/inter';
import '@fontsource/roboto-mono/400.css';
import '@fontsource/roboto-mono/500.css';
import '@fontsource/roboto-mono/600.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { setServiceBaseUrl } from './api/client.ts';
import { App } from './app/App.tsx';
import { desktop, desktopBootstrap } from './desktop.ts';

async function start() {
  const bootstrap = await desktopBootstrap();
  // In the desktop app the shell says where the service is; when the page itself was served by
  // that service (the normal case) the origin is the same and relative URLs are kept.
  if (bootstrap) {
    const serviceOrigin = new URL(bootstrap.serviceUrl).origin;
    if (serviceOrigin !== window.location.origin) setServiceBaseUrl(serviceOrigin);
  }
  const bridge = desktop();
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing from index.html');
  createRoot(root).render(
    <StrictMode>
      <App initialTheme={bootstrap?.theme ?? null} setup={bootstrap?.firstRun && bridge ? { bridge, appVersion: bootstrap.appVersion } : undefined} />
    </StrictMode>,
  );
}

void start();
