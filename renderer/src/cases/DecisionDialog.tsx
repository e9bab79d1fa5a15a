import { useEffect, useState, type KeyboardEvent } from 'react';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
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
import { REASON_CODES, decisionStake, type CaseAction, type CaseSummary, type ReasonCode } from '../../../shared/src/cases.ts';
import { fourEyesReason } from '../../../shared/src/case-rules.ts';
import { type ApiError, toApiError } from '../api/client.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { Mono } from '../ui/values.tsx';
import { decideCase, fetchFourEyes } from './casesApi.ts';
import { CaseNoteField, noteReady } from './CaseNoteField.tsx';

export const ACTION_COPY: Record<CaseAction, { title: string; verb: string; colour: 'success' | 'error' | 'warning' }> = {
  APPROVE: { title: 'Approve case', verb: 'Approve', colour: 'success' },
  BLOCK: { title: 'Block case', verb: 'Block', colour: 'error' },
  ESCALATE: { title: 'Escalate case', verb: 'Escalate', colour: 'warning' },
};

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const SUBMIT_KEYS = isMac ? '⌘ Enter' : 'Ctrl Enter';

/**
 * The sentence of what a decision does to every payment on the case, true to the service (four-eyes
 * included): shared by the dialog, the decision panel and the queue.
 */
export function useDecisionStake(summary: CaseSummary, action: CaseAction): string {
  const fourEyes = useApiQuery('case-four-eyes', fetchFourEyes).data;
  const why =
    action !== 'ESCALATE' && fourEyes ? fourEyesReason(fourEyes, { riskLevel: summary.riskLevel, totalAmountKes: summary.totalAmountKes }, action) : null;
  return decisionStake(summary, action, why);
}

const NEXT_KEY = 'wekeza.case.decideAndOpenNext';
function readOpenNext(): boolean {
  try {
    return window.localStorage.getItem(NEXT_KEY) !== 'false';
  } catch {
    return true;
  }
}

function reasonOptions(action: CaseAction): [ReasonCode, string][] {
  return Object.entries(REASON_CODES[action]) as [ReasonCode, string][];
}

export function DecisionDialog({
  action,
  summary,
  onClose,
  onDecided,
  onConflict,
  nextAvailable = false,
}: {
  action: CaseAction | null;
  summary: CaseSummary;
  onClose: () => void;
  /** `openNext`: the analyst asked to move on to the next case in the queue. */
  onDecided: (updated: CaseSummary, openNext: boolean) => void;
  /** There is a next case in the queue this case was opened from: offer "open the next case". */
  nextAvailable?: boolean;
  /** 409: the case changed or the transition was refused; the error carries the service's reason. */
  onConflict: (error: ApiError) => void;
}) {
  const [reasonCode, setReasonCode] = useState<ReasonCode | ''>('');
  const [note, setNote] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [openNext, setOpenNext] = useState(readOpenNext);
  const stake = useDecisionStake(summary, action ?? 'ESCALATE');

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
      onDecided(updated, nextAvailable && openNext);
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

  // Ctrl+Enter (⌘+Enter) submits from anywhere in the dialog, the note included.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    event.stopPropagation();
    void confirm();
  };

  return (
    <Dialog
      open
      onClose={submitting ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="decision-title"
      data-testid="decision-dialog"
      onKeyDown={onKeyDown}
      disableRestoreFocus
    >
      <DialogTitle id="decision-title">
        {copy.title} · <Mono sx={{ fontSize: 15, fontWeight: 600 }}>{summary.reference}</Mono>
      </DialogTitle>
      <DialogContent>
        <Alert severity={action === 'BLOCK' ? 'error' : action === 'APPROVE' ? 'success' : 'warning'} icon={false} sx={{ mb: 2 }} data-testid="decision-stake">
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {stake}
          </Typography>
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            Customer {summary.customerName ?? summary.customerRef}
          </Typography>
        </Alert>
        {error && (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="decision-error">
            {error.message}
          </Alert>
        )}
        <TextField
          select
          fullWidth
          // Focus goes to the reason, not the dialog frame (issue 11): the first thing to choose.
          autoFocus
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
      <DialogActions sx={{ px: 3 }}>
        {nextAvailable && (
          <FormControlLabel
            sx={{ mr: 'auto' }}
            control={
              <Checkbox
                size="small"
                checked={openNext}
                onChange={(e) => {
                  setOpenNext(e.target.checked);
                  try {
                    window.localStorage.setItem(NEXT_KEY, String(e.target.checked));
                  } catch {
                    // Private mode: the choice lasts for this dialog only.
                  }
                }}
                slotProps={{ input: { 'data-testid': 'decision-open-next' } as HTMLAttributes<HTMLInputElement> }}
              />
            }
            label={<Typography variant="body2">Then open the next case in the queue</Typography>}
          />
        )}
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
          <Box
            component="kbd"
            sx={{ ml: 1, px: 0.5, fontSize: 11, fontFamily: 'inherit', opacity: 0.85, border: '1px solid currentColor', borderRadius: 0.75 }}
          >
            {SUBMIT_KEYS}
          </Box>
        </Button>
      </DialogActions>
    </Dialog>
  );
}
