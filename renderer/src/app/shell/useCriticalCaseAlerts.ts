import { useCallback, useState } from 'react';
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
  // Once someone has picked the case up, the toast has done its job (LiveToast closes it when
  // the user opens the case).
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
  const dismiss = useCallback(() => setAlert(null), []);
  return { alert, dismiss };
}
