import { lazy, type ReactNode } from 'react';
import { createBrowserRouter, createHashRouter, type RouteObject } from 'react-router';
import { SignInPage } from '../auth/SignInPage.tsx';
import { LandingRedirect, NoAccessPage, NotFoundPage, RequireScreen } from './guards.tsx';
import { RequireSession } from './shell/AppShell.tsx';
import { RouteErrorPage } from './RouteErrorPage.tsx';
import type { ScreenId } from './screens.ts';

// Screens load on demand: the sign-in screen should not wait for the data grid or the charts.
const OverviewPage = lazy(() => import('../overview/OverviewPage.tsx').then((m) => ({ default: m.OverviewPage })));
const AnalyticsPage = lazy(() => import('../analytics/AnalyticsPage.tsx').then((m) => ({ default: m.AnalyticsPage })));
const CaseQueuePage = lazy(() => import('../cases/CaseQueuePage.tsx').then((m) => ({ default: m.CaseQueuePage })));
const CaseDetailPage = lazy(() => import('../cases/CaseDetailPage.tsx').then((m) => ({ default: m.CaseDetailPage })));
const QueuesPage = lazy(() => import('../queues/QueuesPage.tsx').then((m) => ({ default: m.QueuesPage })));
const AssessmentsPage = lazy(() => import('../assessments/AssessmentsPage.tsx').then((m) => ({ default: m.AssessmentsPage })));
const DecisionEnginePage = lazy(() => import('../decision-engine/DecisionEnginePage.tsx').then((m) => ({ default: m.DecisionEnginePage })));
const FraudApiTogglesPage = lazy(() => import('../toggles/FraudApiTogglesPage.tsx').then((m) => ({ default: m.FraudApiTogglesPage })));
const FxRatesPage = lazy(() => import('../fx-rates/FxRatesPage.tsx').then((m) => ({ default: m.FxRatesPage })));
const KrisPage = lazy(() => import('../kris/KrisPage.tsx').then((m) => ({ default: m.KrisPage })));
const KriDetailPage = lazy(() => import('../kris/KriDetailPage.tsx').then((m) => ({ default: m.KriDetailPage })));
const RiskEventsPage = lazy(() => import('../risk-events/RiskEventsPage.tsx').then((m) => ({ default: m.RiskEventsPage })));
const RiskEventDetailPage = lazy(() => import('../risk-events/RiskEventDetailPage.tsx').then((m) => ({ default: m.RiskEventDetailPage })));
const RiskRegisterPage = lazy(() => import('../risks/RiskRegisterPage.tsx').then((m) => ({ default: m.RiskRegisterPage })));
const RiskDetailPage = lazy(() => import('../risks/RiskDetailPage.tsx').then((m) => ({ default: m.RiskDetailPage })));
const ControlLibraryPage = lazy(() => import('../risks/ControlLibraryPage.tsx').then((m) => ({ default: m.ControlLibraryPage })));
const ControlDetailPage = lazy(() => import('../risks/ControlDetailPage.tsx').then((m) => ({ default: m.ControlDetailPage })));
const RiskModelsPage = lazy(() => import('../risk-models/RiskModelsPage.tsx').then((m) => ({ default: m.RiskModelsPage })));
const RiskMatrixPage = lazy(() => import('../risks/RiskMatrixPage.tsx').then((m) => ({ default: m.RiskMatrixPage })));
const AuditLogPage = lazy(() => import('../audit/AuditLogPage.tsx').then((m) => ({ default: m.AuditLogPage })));
const UsersPage = lazy(() => import('../admin/UsersPage.tsx').then((m) => ({ default: m.UsersPage })));
const ConflictsPage = lazy(() => import('../sync/ConflictsPage.tsx').then((m) => ({ default: m.ConflictsPage })));
const SettingsPage = lazy(() => import('../sync/SettingsPage.tsx').then((m) => ({ default: m.SettingsPage })));
const ConsentsPage = lazy(() => import('../consents/ConsentsPage.tsx').then((m) => ({ default: m.ConsentsPage })));
const ConsentDetailPage = lazy(() => import('../consents/ConsentDetailPage.tsx').then((m) => ({ default: m.ConsentDetailPage })));
const ObAppsPage = lazy(() => import('../open-banking-apps/ObAppsPage.tsx').then((m) => ({ default: m.ObAppsPage })));
const ObAppDetailPage = lazy(() => import('../open-banking-apps/ObAppDetailPage.tsx').then((m) => ({ default: m.ObAppDetailPage })));
const AlertsPage = lazy(() => import('../alerts/AlertsPage.tsx').then((m) => ({ default: m.AlertsPage })));
const AlertDetailPage = lazy(() => import('../alerts/AlertDetailPage.tsx').then((m) => ({ default: m.AlertDetailPage })));
const AlertChannelsPage = lazy(() => import('../alerts/channels/AlertChannelsPage.tsx').then((m) => ({ default: m.AlertChannelsPage })));
const AlertChannelDetailPage = lazy(() => import('../alerts/channels/AlertChannelDetailPage.tsx').then((m) => ({ default: m.AlertChannelDetailPage })));
const AlertRulesPage = lazy(() => import('../alerts/rules/AlertRulesPage.tsx').then((m) => ({ default: m.AlertRulesPage })));
const AlertThresholdsPage = lazy(() => import('../alerts/thresholds/AlertThresholdsPage.tsx').then((m) => ({ default: m.AlertThresholdsPage })));
const ApiClientsPage = lazy(() => import('../admin/ApiClientsPage.tsx').then((m) => ({ default: m.ApiClientsPage })));

function guarded(screen: ScreenId, element: ReactNode): ReactNode {
  return <RequireScreen screen={screen}>{element}</RequireScreen>;
}

const routes: RouteObject[] = [
  { path: '/sign-in', element: <SignInPage />, errorElement: <RouteErrorPage /> },
  {
    path: '/',
    element: <RequireSession />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <LandingRedirect /> },
      { path: 'overview', element: guarded('overview', <OverviewPage />) },
      { path: 'analytics', element: guarded('analytics', <AnalyticsPage />) },
      { path: 'cases', element: guarded('cases', <CaseQueuePage />) },
      { path: 'cases/:id', element: guarded('cases', <CaseDetailPage />) },
      { path: 'queues', element: guarded('queues', <QueuesPage />) },
      { path: 'assessments', element: guarded('assessments', <AssessmentsPage />) },
      { path: 'decision-engine/*', element: guarded('decision-engine', <DecisionEnginePage />) },
      { path: 'fraud-api-toggles/*', element: guarded('fraud-api-toggles', <FraudApiTogglesPage />) },
      { path: 'fx-rates', element: guarded('fx-rates', <FxRatesPage />) },
      { path: 'kris', element: guarded('kris', <KrisPage />) },
      { path: 'kris/:id', element: guarded('kris', <KriDetailPage />) },
      { path: 'risk-events', element: guarded('risk-events', <RiskEventsPage />) },
      { path: 'risk-events/:id', element: guarded('risk-events', <RiskEventDetailPage />) },
      { path: 'risks', element: guarded('risks', <RiskRegisterPage />) },
      { path: 'risks/:id', element: guarded('risks', <RiskDetailPage />) },
      { path: 'controls', element: guarded('controls', <ControlLibraryPage />) },
      { path: 'controls/:id', element: guarded('controls', <ControlDetailPage />) },
      { path: 'risk-matrix', element: guarded('risk-matrix', <RiskMatrixPage />) },
      { path: 'risk-models', element: guarded('risk-models', <RiskModelsPage />) },
      { path: 'consents', element: guarded('consents', <ConsentsPage />) },
      { path: 'consents/:id', element: guarded('consents', <ConsentDetailPage />) },
      { path: 'open-banking-apps', element: guarded('open-banking-apps', <ObAppsPage />) },
      { path: 'open-banking-apps/:id', element: guarded('open-banking-apps', <ObAppDetailPage />) },
      { path: 'alerts', element: guarded('alerts', <AlertsPage />) },
      { path: 'alerts/:id', element: guarded('alerts', <AlertDetailPage />) },
      { path: 'alert-channels', element: guarded('alert-channels', <AlertChannelsPage />) },
      { path: 'alert-channels/:id', element: guarded('alert-channels', <AlertChannelDetailPage />) },
      { path: 'alert-rules', element: guarded('alert-rules', <AlertRulesPage />) },
      { path: 'alert-thresholds', element: guarded('alert-thresholds', <AlertThresholdsPage />) },
      { path: 'audit', element: guarded('audit', <AuditLogPage />) },
      { path: 'sync/conflicts', element: guarded('sync-conflicts', <ConflictsPage />) },
      // Every signed-in user may see this node's mode and sync state; switching is admin-only.
      { path: 'settings', element: <SettingsPage /> },
      { path: 'admin/users', element: guarded('users', <UsersPage />) },
      { path: 'admin/api-clients', element: guarded('api-clients', <ApiClientsPage />) },
      { path: 'no-access', element: <NoAccessPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function createAppRouter() {
  // Served by the service (http/https) the history API works; a file:// page (an unusual desktop
  // set-up) cannot deep-link, so it falls back to hash URLs.
  return window.location.protocol === 'file:' ? createHashRouter(routes) : createBrowserRouter(routes);
}
