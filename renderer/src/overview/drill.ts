// Where a dashboard figure leads (issue 15): the service gives each figure a DrillTarget (screen +
// list filters that reproduce the rows it counted); the renderer turns it into a link.
import type { DrillTarget } from '../../../shared/src/analytics.ts';
import type { Permission } from '../../../shared/src/roles.ts';
import { screenForPath } from '../app/screens.ts';

const SCREEN_PATHS: Record<DrillTarget['screen'], string> = { assessments: '/assessments', cases: '/cases', alerts: '/alerts' };

/** The URL of the list behind a figure: the target screen with its filters as search parameters. */
export function drillHref(target: DrillTarget): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(target.filters)) if (value !== '') params.set(key, value);
  const search = params.toString();
  return search ? `${SCREEN_PATHS[target.screen]}?${search}` : SCREEN_PATHS[target.screen];
}

/**
 * The drill link when this user may open the screen behind it, else null (an executive reads
 * figures, not payments): a link into a "no access" page would be a control that pretends to work.
 */
export function allowedDrillHref(target: DrillTarget | null | undefined, permissions: readonly Permission[]): string | null {
  if (!target) return null;
  const screen = screenForPath(SCREEN_PATHS[target.screen]);
  if (!screen || !permissions.includes(screen.permission)) return null;
  return drillHref(target);
}
