import { z } from 'zod';

/** What the desktop shell hands the renderer through the preload (never the service token). */
export const DesktopBootstrap = z.object({
  serviceUrl: z.url(),
  mode: z.enum(['standalone', 'hub', 'workstation']),
  appVersion: z.string(),
  platform: z.string(),
  theme: z.enum(['light', 'dark', 'system']),
});
export type DesktopBootstrap = z.infer<typeof DesktopBootstrap>;

export const ThemePreference = z.enum(['light', 'dark', 'system']);
export type ThemePreference = z.infer<typeof ThemePreference>;

export const DesktopNotification = z.object({
  title: z.string().min(1).max(120),
  body: z.string().max(500),
});
export type DesktopNotification = z.infer<typeof DesktopNotification>;
