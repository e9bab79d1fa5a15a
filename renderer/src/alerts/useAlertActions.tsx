// An analyst's actions on one alert (issue 15): acknowledge (stops its escalation), assign to a
// person of its tenant, resolve with a resolution and a reason, and open the case (the one its
// payments already have, or a new one) — which then opens the case page.
import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { AlertResolution, type AlertDetail } from '../../../shared/src/alerts.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { fetchAssignees } from '../cases/casesApi.ts';
import { ConfirmDialog } from '../decision-engine/ConfirmDialog.tsx';
import { editError } from '../risks/formErrors.ts';
import { noteText } from '../risks/riskText.ts';
import { SuccessNotice } from '../ui/SuccessNotice.tsx';
import { acknowledgeAlert, assignAlert, openAlertCase, resolveAlert } from './alertsApi.ts';
import { RESOLUTION_LABELS } from './alertWords.tsx';

/** Runs a command; a stale version (409) is said in the user's words. */
async function run<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (caught) {
    throw editError(caught);
  }
}

export function useAlertActions(alert: AlertDetail | undefined, onChanged: () => void) {
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<'assign' | 'resolve' | 'case' | null>(null);
  const [assignee, setAssignee] = useState<string>('');
  const [resolution, setResolution] = useState<AlertResolution | ''>('');
  const [notice, setNotice] = useState<string | null>(null);
  const assignees = useApiQuery(
    `alert-assignees:${dialog === 'assign'}`,
    useCallback((signal: AbortSignal) => (dialog === 'assign' ? fetchAssignees(signal) : Promise.resolve([])), [dialog]),
  );
  const hasCase = !!alert?.evidence.payments.some((p) => p.caseId);

  const acknowledge = async () => {
    if (!alert) return;
    await run(() => acknowledgeAlert(alert.id, { version: alert.version }));
    setNotice(`${alert.reference} acknowledged: its escalation stopped`);
    onChanged();
  };

  const dialogs = alert ? (
    <>
      <ConfirmDialog
        open={dialog === 'assign'}
        testId="alert-assign-dialog"
        confirmTestId="alert-assign-confirm"
        title={`Assign ${alert.reference}`}
        body="Who works this alert. They must be able to work alerts in its tenant."
        confirmLabel="Assign"
        onClose={() => setDialog(null)}
        onConfirm={async () => {
          const target = assignee === 'none' ? null : assignee;
          await run(() => assignAlert(alert.id, { version: alert.version, assigneeId: target }));
          setNotice(target ? `${alert.reference} assigned` : `${alert.reference} unassigned`);
          onChanged();
        }}
        canConfirm={!!assignee}
      >
        <TextField
          select
          fullWidth
          label="Assignee"
          value={assignee}
          onChange={(e) => setAssignee(e.target.value)}
          helperText={assignees.error ? `Could not load the people: ${assignees.error.message}` : ' '}
          error={!!assignees.error}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'alert-assign-select' } as object } }}
        >
          <MenuItem value="none">Nobody (unassign)</MenuItem>
          {(assignees.data ?? []).map((a) => (
            <MenuItem key={a.id} value={a.id} data-testid={`alert-assign-option-${a.id}`}>
              {a.displayName} · {a.role.replace(/_/g, ' ').toLowerCase()}
            </MenuItem>
          ))}
        </TextField>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'resolve'}
        testId="alert-resolve-dialog"
        confirmTestId="alert-resolve-confirm"
        title={`Resolve ${alert.reference}`}
        body="Resolved alerts leave the inbox. The resolution and reason stay with the alert and in the audit log."
        confirmLabel="Resolve"
        canConfirm={!!resolution}
        reason={{ label: 'Reason', minLength: 3, maxLength: 2000, testId: 'alert-resolve-reason', helper: 'Say why, in a few words' }}
        onClose={() => setDialog(null)}
        onConfirm={async (reason) => {
          if (!resolution) return;
          await run(() => resolveAlert(alert.id, { version: alert.version, resolution, reason: noteText(reason).trim() }));
          setNotice(`${alert.reference} resolved: ${RESOLUTION_LABELS[resolution]}`);
          onChanged();
        }}
      >
        <TextField
          select
          fullWidth
          label="Resolution"
          value={resolution}
          onChange={(e) => setResolution(e.target.value as AlertResolution)}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'alert-resolve-resolution' } as object } }}
        >
          {AlertResolution.options.map((r) => (
            <MenuItem key={r} value={r} data-testid={`alert-resolution-${r}`}>
              {RESOLUTION_LABELS[r]}
            </MenuItem>
          ))}
        </TextField>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'case'}
        testId="alert-case-dialog"
        confirmTestId="alert-case-confirm"
        title={hasCase ? `Link ${alert.reference} to its payments’ case` : `Create a case for ${alert.reference}`}
        body={
          hasCase
            ? 'A payment behind this alert already has a case: the alert is linked to it and acknowledged, and the case opens.'
            : 'A case is opened for the newest payment behind this alert, in the queue its routing rules choose; the alert is acknowledged and the case opens.'
        }
        confirmLabel={hasCase ? 'Link and open the case' : 'Create the case'}
        reason={{ label: 'Note for the case (optional)', minLength: 0, maxLength: 2000, testId: 'alert-case-note' }}
        onClose={() => setDialog(null)}
        onConfirm={async (note) => {
          const result = await run(() => openAlertCase(alert.id, { version: alert.version, ...(note ? { note: noteText(note).trim() } : {}) }));
          onChanged();
          navigate(`/cases/${result.caseId}`);
        }}
      />
      <SuccessNotice notice={notice} onClose={() => setNotice(null)} testId="alert-notice" />
    </>
  ) : null;

  return {
    dialogs,
    hasCase,
    acknowledge,
    assign: () => {
      setAssignee(alert?.assigneeId ?? '');
      setDialog('assign');
    },
    resolve: () => {
      setResolution('');
      setDialog('resolve');
    },
    openCase: () => setDialog('case'),
  };
}
