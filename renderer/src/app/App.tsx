import { useMemo } from 'react';
import { RouterProvider } from 'react-router/dom';
import type { ThemePreference } from '../../../shared/src/desktop.ts';
import { ThemeModeProvider } from './ThemeModeProvider.tsx';
import { createAppRouter } from './router.tsx';

export function App({ initialTheme }: { initialTheme: ThemePreference | null }) {
  const router = useMemo(() => createAppRouter(), []);
  return (
    <ThemeModeProvider initial={initialTheme}>
      <RouterProvider router={router} />
    </ThemeModeProvider>
  );
}
