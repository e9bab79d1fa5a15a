import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { HTMLAttributes } from 'react';
import { REASON_CODES, type CaseAction, type CaseSummary, type ReasonCode } from '../../../shared/src/cases.ts';
import { type ApiError, toApiError } from '../api/client.ts';
import { formatMoney } from '../lib/format.ts';
import { Mono } from '../ui/values.tsx';
import { decideCase } from './casesApi.ts';
import { CaseNoteField, noteReady } from './CaseNoteField.tsx';

export const ACTION_COPY: Record<CaseAction, { title: string; verb: string; colour: 'success' | 'error' | 'warning'; consequence: string }> = {
  APPROVE: { title: 'Approve payment', verb: 'Approve', colour: 'success', consequence: 'The payment will be released and the case closed.' },
  BLOCK: { title: 'Block payment', verb: 'Block', colour: 'error', consequence: 'The payment will be rejected and the case closed.' },
  ESCALATE: { title: 'Escalate case', verb: 'Escalate', colour: 'warning', consequence: 'The case moves to the escalation queue for a compliance officer.' },
};

function reasonOptions(action: CaseAction): [ReasonCode, string][] {
  return Object.entries(REASON_CODES[action]) as [ReasonCode, string][];
}

export function DecisionDialog({
  action,
  summary,
  onClose,
  onDecided,
  onConflict,
}: {
  action: CaseAction | null;
  summary: CaseSummary;
  onClose: () => void;
  onDecided: (updated: CaseSummary) => void;
  /** 409: the case changed or the transition was refused; the error carries the service's reason. */
  onConflict: (error: ApiError) => void;
}) {
  const [reasonCode, setReasonCode] = useState<ReasonCode | ''>('');
  const [note, setNote] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (action) {
      setReasonCode('');
      setNote('');
      setError(null);
      setSubmitting(false);
    }
  }, [action]);

  if (!action) return null;
  const copy = ACTION_COPY[action];
  const trimmed = note.trim();
  const ready = reasonCode !== '' && noteReady(note);
  const fieldError = (path: string) => error?.fields.find((f) => f.path === path || f.path.endsWith(`.${path}`))?.message;

  async function confirm() {
    if (!action || !ready || submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      const updated = await decideCase(summary.id, { action, reasonCode, note: trimmed, expectedVersion: summary.version });
      onDecided(updated);
    } catch (caught) {
      const apiError = toApiError(caught);
      setSubmitting(false);
      if (apiError.status === 409) {
        onConflict(apiError);
        return;
      }
      setError(apiError);
    }
  }

  return (
    <Dialog open onClose={submitting ? undefined : onClose} fullWidth maxWidth="sm" aria-labelledby="decision-title" data-testid="decision-dialog">
      <DialogTitle id="decision-title">
        {copy.title} · <Mono sx={{ fontSize: 15, fontWeight: 600 }}>{summary.reference}</Mono>
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2 }}>
          {formatMoney(summary.amountKes)} from {summary.customerName ?? summary.customerRef}. {copy.consequence}
        </Typography>
        {error && (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="decision-error">
            {error.message}
          </Alert>
        )}
        <TextField
          select
          fullWidth
          label="Reason"
          value={reasonCode}
          onChange={(e) => setReasonCode(e.target.value as ReasonCode)}
          disabled={submitting}
          required
          error={!!fieldError('reasonCode')}
          helperText={fieldError('reasonCode') ?? ' '}
          slotProps={{
            select: {
              SelectDisplayProps: { 'data-testid': 'decision-reason' } as HTMLAttributes<HTMLDivElement>,
              MenuProps: { slotProps: { paper: { sx: { maxHeight: 360 } } } },
            },
          }}
        >
          {reasonOptions(action).map(([code, label]) => (
            <MenuItem key={code} value={code} data-testid={`reason-${code}`}>
              {label}
            </MenuItem>
          ))}
        </TextField>
        <CaseNoteField
          value={note}
          onChange={setNote}
          testId="decision-note"
          placeholder="What did you check, and what did you find?"
          disabled={submitting}
          error={fieldError('note')}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={submitting} color="inherit">
          Cancel
        </Button>
        <Button
          variant="contained"
          color={copy.colour}
          onClick={confirm}
          disabled={!ready || submitting}
          data-testid="decision-confirm"
          startIcon={submitting ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          {copy.verb}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
