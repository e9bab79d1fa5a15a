import { z } from 'zod';

/**
 * How this computer runs the service (issue 12), chosen on first run and changed by an admin in
 * Settings: a workstation of the bank's hub (production), or standalone with demo data
 * (evaluation) or empty. Demo users are seeded only for 'standalone-demo'.
 */
export const DeploymentChoice = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('workstation'),
    hubUrl: z
      .url({ protocol: /^https?$/, error: 'an http(s) address, e.g. https://wekeza-hub.bank.example' })
      .max(2048)
      .transform((url) => url.replace(/\/+$/, '')),
  }),
  z.object({ kind: z.literal('standalone-demo') }),
  z.object({ kind: z.literal('standalone-empty') }),
]);
export type DeploymentChoice = z.infer<typeof DeploymentChoice>;

/** The shell's answer to a deployment choice: on success it restarts the service and reloads the window. */
export const DeploymentChoiceResult = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), message: z.string() })]);
export type DeploymentChoiceResult = z.infer<typeof DeploymentChoiceResult>;

/** What the desktop shell hands the renderer through the preload (never the service token). */
export const DesktopBootstrap = z.object({
  serviceUrl: z.url(),
  mode: z.enum(['standalone', 'hub', 'workstation']),
  appVersion: z.string(),
  platform: z.string(),
  theme: z.enum(['light', 'dark', 'system']),
  /** No deployment chosen yet: the service runs empty in a setup folder and the UI asks first. */
  firstRun: z.boolean(),
  /** The saved choice (null on first run). */
  deployment: DeploymentChoice.nullable(),
});
export type DesktopBootstrap = z.infer<typeof DesktopBootstrap>;

export const ThemePreference = z.enum(['light', 'dark', 'system']);
export type ThemePreference = z.infer<typeof ThemePreference>;

/**
 * Issue 15: an in-app path a notification opens ("/cases/<id>", "/kris/<id>?tab=x"). Only a path
 * on the app's own origin: no scheme, no "//host", no backslash (browsers read it as a slash), no
 * control characters. Main, preload and renderer check it again on every hop.
 */
export function isAppPath(value: string): boolean {
  return value.length <= 500 && /^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$/.test(value);
}
export const AppPath = z.string().max(500).refine(isAppPath, 'an in-app path such as /cases/<id>');
export type AppPath = z.infer<typeof AppPath>;

export const DesktopNotification = z.object({
  title: z.string().min(1).max(120),
  body: z.string().max(500),
  /** Where a click on it leads in the window (the notification's link); none = just focus the window. */
  link: AppPath.nullable().optional(),
});
export type DesktopNotification = z.infer<typeof DesktopNotification>;
