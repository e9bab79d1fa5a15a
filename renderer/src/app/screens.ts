// The screens of the workstation and the permission each one needs. The navigation drawer,
// the route guards and the landing route all read this one list.
import type { Permission } from '../../../shared/src/roles.ts';
import type { UserPublic } from '../../../shared/src/auth.ts';

export type ScreenId =
  | 'overview'
  | 'analytics'
  | 'cases'
  | 'queues'
  | 'assessments'
  | 'decision-engine'
  | 'fraud-api-toggles'
  | 'fx-rates'
  | 'risks'
  | 'controls'
  | 'risk-matrix'
  | 'kris'
  | 'risk-events'
  | 'risk-models'
  | 'consents'
  | 'open-banking-apps'
  | 'alerts'
  | 'alert-channels'
  | 'alert-rules'
  | 'alert-thresholds'
  | 'audit'
  | 'sync-conflicts'
  | 'users'
  | 'api-clients';

export interface Screen {
  id: ScreenId;
  path: string;
  label: string;
  /** What the screen is for, in the words of the access message. */
  noun: string;
  permission: Permission;
  /** Without this permission the screen is read-only (it still shows everything). */
  editPermission?: Permission;
  /** The navigation group; 'workspace' when omitted. */
  section?: 'workspace' | 'administration';
  /** Shown in the navigation only on a workstation, or while there are conflicts (issue 12). */
  syncOnly?: boolean;
}

export const SCREENS: readonly Screen[] = [
  { id: 'overview', path: '/overview', label: 'Overview', noun: 'the overview dashboard', permission: 'dashboard:read' },
  // Issue 15 (seed 001 "Deep Dive Analytics"): pivots, rule and team performance, county map, exports.
  { id: 'analytics', path: '/analytics', label: 'Deep Dive Analytics', noun: 'the Deep Dive Analytics dashboard', permission: 'dashboard:read' },
  { id: 'cases', path: '/cases', label: 'Case queue', noun: 'fraud cases', permission: 'case:read' },
  // Everyone who reads cases may see how they are routed; only case:configure changes it.
  {
    id: 'queues',
    path: '/queues',
    label: 'Queues & routing',
    noun: 'the case queues, routing rules and SLAs',
    permission: 'case:read',
    editPermission: 'case:configure',
  },
  { id: 'assessments', path: '/assessments', label: 'Assessments', noun: 'payment risk assessments', permission: 'assessment:read' },
  // Issue 15: what the pattern detectors raised; alert:work acknowledges, assigns, resolves and opens cases.
  { id: 'alerts', path: '/alerts', label: 'Alerts', noun: 'the alerts inbox', permission: 'alert:read', editPermission: 'alert:work' },
  {
    id: 'decision-engine',
    path: '/decision-engine',
    label: 'Decision engine',
    noun: 'the decision engine (rules, configurations and statistics)',
    permission: 'configuration:read',
  },
  {
    id: 'fraud-api-toggles',
    path: '/fraud-api-toggles',
    label: 'Fraud API toggles',
    noun: 'the fraud API toggles (whether the bank’s fraud engine is called)',
    permission: 'toggle:read',
  },
  {
    id: 'fx-rates',
    path: '/fx-rates',
    label: 'FX rates',
    noun: 'the FX rates to KES that payments are converted with',
    permission: 'configuration:read',
    editPermission: 'configuration:manage',
  },
  { id: 'risks', path: '/risks', label: 'Risk register', noun: 'the risk register', permission: 'risk:read', editPermission: 'risk:manage' },
  { id: 'controls', path: '/controls', label: 'Controls', noun: 'the control library and its tests', permission: 'risk:read', editPermission: 'risk:manage' },
  { id: 'kris', path: '/kris', label: 'KRIs', noun: 'the key risk indicators', permission: 'risk:read', editPermission: 'risk:manage' },
  {
    id: 'risk-events',
    path: '/risk-events',
    label: 'Risk events',
    noun: 'risk events (incidents, losses, near misses, KRI breaches)',
    permission: 'risk:read',
    editPermission: 'risk:manage',
  },
  {
    id: 'risk-models',
    path: '/risk-models',
    label: 'Risk models',
    noun: 'the credit, liquidity and market risk models',
    permission: 'risk:read',
    editPermission: 'risk:manage',
  },
  // Issue 14: the consent register (works offline on a workstation from the synced consents).
  {
    id: 'consents',
    path: '/consents',
    label: 'Consent register',
    noun: 'the Open Banking consent register',
    permission: 'consent:read',
    editPermission: 'consent:revoke',
  },
  { id: 'audit', path: '/audit', label: 'Audit log', noun: 'the audit log', permission: 'audit:read' },
  {
    id: 'sync-conflicts',
    path: '/sync/conflicts',
    label: 'Conflicts',
    noun: 'the Conflicts inbox (offline case actions the hub refused)',
    permission: 'case:read',
    syncOnly: true,
  },
  {
    id: 'risk-matrix',
    path: '/risk-matrix',
    label: 'Risk matrix',
    noun: 'the risk matrix (likelihood × impact levels)',
    permission: 'risk:read',
    editPermission: 'risk:configure',
    section: 'administration',
  },
  {
    id: 'open-banking-apps',
    path: '/open-banking-apps',
    label: 'Open Banking apps',
    noun: 'the Open Banking apps (OAuth clients) and their use',
    permission: 'consent:read',
    editPermission: 'openbanking:manage',
    section: 'administration',
  },
  {
    id: 'alert-channels',
    path: '/alert-channels',
    label: 'Alert channels',
    noun: 'the alert channels (email, SMS, webhook, Slack, Teams) and their delivery log',
    permission: 'alert:configure',
    section: 'administration',
  },
  {
    id: 'alert-rules',
    path: '/alert-rules',
    label: 'Alert rules',
    noun: 'the alert routing rules',
    permission: 'alert:configure',
    section: 'administration',
  },
  {
    id: 'alert-thresholds',
    path: '/alert-thresholds',
    label: 'Detector thresholds',
    noun: 'the pattern detectors’ thresholds',
    permission: 'alert:read',
    editPermission: 'alert:configure',
    section: 'administration',
  },
  { id: 'users', path: '/admin/users', label: 'Users', noun: 'user management', permission: 'user:manage', section: 'administration' },
  {
    id: 'api-clients',
    path: '/admin/api-clients',
    label: 'API clients',
    noun: 'the machine clients (API keys)',
    permission: 'user:manage',
    section: 'administration',
  },
];

export function screenById(id: ScreenId): Screen {
  const screen = SCREENS.find((s) => s.id === id);
  if (!screen) throw new Error(`unknown screen ${id}`);
  return screen;
}

export function allowedScreens(user: UserPublic): Screen[] {
  return SCREENS.filter((s) => user.permissions.includes(s.permission));
}

export function screenForPath(pathname: string): Screen | undefined {
  return SCREENS.find((s) => pathname === s.path || pathname.startsWith(`${s.path}/`));
}

/** Where a user lands after sign-in: people who work cases start in the queue, everyone else on their first screen. */
export function landingPath(user: UserPublic): string {
  if (user.permissions.includes('case:work') && user.permissions.includes('case:read')) return '/cases';
  return allowedScreens(user)[0]?.path ?? '/no-access';
}

/** The path to return to after signing in again, if this user may see it. */
export function returnPath(user: UserPublic, from: string | undefined): string {
  if (!from || from === '/' || from.startsWith('/sign-in')) return landingPath(user);
  const screen = screenForPath(from.split('?')[0] ?? from);
  if (screen && !user.permissions.includes(screen.permission)) return landingPath(user);
  return from;
}
