import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import type { CaseSummary } from '../../../../shared/src/cases.ts';
import { useLiveEvent } from '../../api/socket.ts';
import { desktopNotify } from '../../desktop.ts';
import { formatMoney } from '../../lib/format.ts';

/**
 * A new CRITICAL case is worth interrupting for: an OS notification in the desktop app, and an
 * in-app toast either way (returned for the shell to show).
 */
export function useCriticalCaseAlerts(enabled: boolean): { alert: CaseSummary | null; dismiss: () => void } {
  const [alert, setAlert] = useState<CaseSummary | null>(null);
  const { pathname } = useLocation();
  // Once the user is looking at the case, or someone has picked it up, the toast has done its job.
  useEffect(() => {
    if (alert && pathname === `/cases/${alert.id}`) setAlert(null);
  }, [alert, pathname]);
  useLiveEvent('case.updated', (summary) => {
    if (alert && summary.id === alert.id && (summary.assigneeId !== null || summary.state === 'CLOSED')) setAlert(null);
  });
  useLiveEvent('case.opened', (summary) => {
    if (!enabled || summary.riskLevel !== 'CRITICAL') return;
    desktopNotify({
      title: `Critical case ${summary.reference}`,
      body: `${formatMoney(summary.amountKes, 'KES')} · ${summary.customerName ?? summary.customerRef} · ${summary.channel}`,
    });
    setAlert(summary);
  });
  return { alert, dismiss: () => setAlert(null) };
}
