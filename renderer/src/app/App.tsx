import { useMemo } from 'react';
import { RouterProvider } from 'react-router/dom';
import type { ThemePreference } from '../../../shared/src/desktop.ts';
import { ThemeModeProvider } from './ThemeModeProvider.tsx';
import { createAppRouter } from './router.tsx';
import type { DesktopBridge } from '../desktop.ts';
import { SetupPage } from '../sync/SetupPage.tsx';

export function App({ initialTheme, setup }: { initialTheme: ThemePreference | null; setup?: { bridge: DesktopBridge; appVersion: string } }) {
  const router = useMemo(() => (setup ? null : createAppRouter()), [setup]);
  return (
    <ThemeModeProvider initial={initialTheme}>
      {/* First run of the desktop app: choose how this computer runs before anything else (issue 12). */}
      {setup ? <SetupPage bridge={setup.bridge} appVersion={setup.appVersion} /> : router && <RouterProvider router={router} />}
    </ThemeModeProvider>
  );
}
