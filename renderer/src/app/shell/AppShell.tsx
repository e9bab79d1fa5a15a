import { Suspense, useEffect, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { HealthResponse } from '../../../../shared/src/api.ts';
import { fetchHealth, fetchMe } from '../../api/authApi.ts';
import { endSession, getSession, updateSessionUser, useSession, can, type Session } from '../../api/session.ts';
import { connectLive, disconnectLive } from '../../api/socket.ts';
import { QueueCountsContext, useQueueCounts } from '../../cases/useQueueCounts.ts';
import { formatMoney } from '../../lib/format.ts';
import { ForcedPasswordChangePage } from '../../auth/ForcedPasswordChangePage.tsx';
import { NavDrawer } from './NavDrawer.tsx';
import { TopBar } from './TopBar.tsx';
import { useCriticalCaseAlerts } from './useCriticalCaseAlerts.ts';
import { LiveToast, ToastStackProvider } from '../../ui/LiveToast.tsx';

/** Guards every signed-in route: no session → the sign-in screen (remembering where the user was). */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;
  // Signed in with a one-time password: nothing else until it is changed (the service enforces it too).
  if (session.user.passwordChangeRequired) return <ForcedPasswordChangePage session={session} />;
  return <AppShell session={session} />;
}

function useLiveConnection(token: string) {
  useEffect(() => {
    connectLive(token);
    return () => disconnectLive();
  }, [token]);
}

/**
 * Re-reads the signed-in user once per page load: proves a token restored from sessionStorage is
 * still valid (a 401 ends the session) and picks up a role change made since sign-in.
 */
function useFreshUser(token: string) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read the user once per token, not on every render.
  useEffect(() => {
    const controller = new AbortController();
    fetchMe(controller.signal).then(
      (user) => {
        const current = getSession();
        if (current && JSON.stringify(current.user) !== JSON.stringify(user)) updateSessionUser(user);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [token]);
}

function useSessionExpiry(expiresAt: string) {
  useEffect(() => {
    const ms = Date.parse(expiresAt) - Date.now();
    if (!Number.isFinite(ms)) return;
    // setTimeout overflows past ~24.8 days; sessions are far shorter, but clamp anyway.
    const timer = window.setTimeout(() => endSession('expired'), Math.max(0, Math.min(ms, 2_000_000_000)));
    return () => window.clearTimeout(timer);
  }, [expiresAt]);
}

function ServiceFooter() {
  const [health, setHealth] = useState<HealthResponse | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetchHealth(controller.signal).then(setHealth, () => undefined);
    return () => controller.abort();
  }, []);
  if (!health) return null;
  return (
    <Box sx={{ px: 2.5, py: 1.5, borderTop: 1, borderColor: 'divider' }}>
      <Typography variant="caption" component="div" sx={{ color: 'text.secondary', fontWeight: 600 }}>
        {health.mode.charAt(0).toUpperCase() + health.mode.slice(1)} mode
      </Typography>
      <Typography variant="caption" component="div" sx={{ color: 'text.disabled' }}>
        v{health.version} · {health.database}
      </Typography>
    </Box>
  );
}

export function AppShell({ session }: { session: Session }) {
  const navigate = useNavigate();
  const canReadCases = can(session, 'case:read');
  useLiveConnection(session.token);
  useFreshUser(session.token);
  useSessionExpiry(session.expiresAt);
  const counts = useQueueCounts(canReadCases);
  // Interrupt only the people who can act on a case (analysts, compliance), not read-only roles.
  const { alert, dismiss } = useCriticalCaseAlerts(canReadCases && can(session, 'case:work'));
  const caseLink = alert ? `/cases/${alert.id}` : null;

  return (
    <ToastStackProvider>
      <Box sx={{ height: '100vh', display: 'flex', flexDirection: 'column', bgcolor: 'background.default' }}>
        <TopBar session={session} />
        <Box sx={{ flex: 1, display: 'flex', minHeight: 0 }}>
          <NavDrawer user={session.user} counts={counts} footer={<ServiceFooter />} />
          <Box component="main" sx={{ flex: 1, minWidth: 0, overflow: 'auto', position: 'relative' }} id="main-content">
            <QueueCountsContext.Provider value={counts}>
              <Suspense fallback={<LinearProgress sx={{ position: 'absolute', top: 0, left: 0, right: 0, height: 2 }} />}>
                <Outlet />
              </Suspense>
            </QueueCountsContext.Provider>
          </Box>
        </Box>
        <LiveToast
          open={!!alert}
          testId="critical-case-toast"
          tone="risk.CRITICAL"
          autoHideMs={12_000}
          title={alert ? `New critical case ${alert.reference}` : ''}
          body={alert ? `${formatMoney(alert.amountKes)} · ${alert.customerName ?? alert.customerRef}` : null}
          link={caseLink}
          // On the case's page the toast closes itself.
          onOpen={() => caseLink && navigate(caseLink)}
          onClose={dismiss}
        />
      </Box>
    </ToastStackProvider>
  );
}
