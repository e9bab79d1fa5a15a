import { useEffect, useState, type HTMLAttributes } from 'react';
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
import { BulkCloseFalsePositiveRequest, REASON_CODES, type BulkResult } from '../../../../shared/src/cases.ts';
import { toApiError, type ApiError } from '../../api/client.ts';
import { formatCount } from '../../lib/format.ts';
import { bulkCloseFalsePositive } from '../casesApi.ts';
import { CaseNoteField, noteReady } from '../CaseNoteField.tsx';

type FpReason = ReturnType<typeof BulkCloseFalsePositiveRequest.shape.reasonCode.unwrap>['options'][number];
const FP_REASONS = BulkCloseFalsePositiveRequest.shape.reasonCode.unwrap().options;

/**
 * Closes the selected cases as false positives in one go. The service may hold some back for a
 * second approver (four-eyes); the result says which. Refusals (409 listing the cases, 403) stay
 * in the dialog so the analyst can read them and deselect.
 */
export function CloseFalsePositiveDialog({
  open,
  caseIds,
  stake,
  onClose,
  onDone,
}: {
  open: boolean;
  caseIds: string[];
  /** What closing does to every payment on the cases (shared/src/cases.ts bulkStake). */
  stake: string;
  onClose: () => void;
  onDone: (result: BulkResult) => void;
}) {
  const [reasonCode, setReasonCode] = useState<FpReason>('FALSE_POSITIVE_RULE');
  const [note, setNote] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (open) {
      setReasonCode('FALSE_POSITIVE_RULE');
      setNote('');
      setError(null);
      setSubmitting(false);
    }
  }, [open]);

  const trimmed = note.trim();
  const ready = noteReady(note) && caseIds.length > 0;

  async function confirm() {
    if (!ready || submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      onDone(await bulkCloseFalsePositive(caseIds, trimmed, reasonCode));
    } catch (caught) {
      setError(toApiError(caught));
      setSubmitting(false);
    }
  }

  return (
    <Dialog open={open} onClose={submitting ? undefined : onClose} maxWidth="sm" fullWidth aria-labelledby="close-fp-title" data-testid="bulk-close-dialog">
      <DialogTitle id="close-fp-title">
        Close {formatCount(caseIds.length)} {caseIds.length === 1 ? 'case' : 'cases'} as false positive
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" sx={{ fontWeight: 600, mb: 0.5 }} data-testid="bulk-close-stake">
          {stake}
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2 }}>
          The cases close with this reason. Critical cases, and any the four-eyes rules catch, wait for a second approver instead.
        </Typography>
        {error && (
          <Alert severity="error" sx={{ mb: 2, whiteSpace: 'pre-line' }} data-testid="bulk-close-error">
            {error.status === 403 ? `You may not close these cases — ${error.message}` : error.message}
          </Alert>
        )}
        <TextField
          select
          fullWidth
          label="Reason"
          value={reasonCode}
          onChange={(e) => setReasonCode(e.target.value as FpReason)}
          disabled={submitting}
          helperText=" "
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'bulk-close-reason' } as HTMLAttributes<HTMLDivElement> } }}
        >
          {FP_REASONS.map((code) => (
            <MenuItem key={code} value={code}>
              {REASON_CODES.APPROVE[code]}
            </MenuItem>
          ))}
        </TextField>
        <CaseNoteField value={note} onChange={setNote} testId="bulk-close-note" placeholder="Why are these false positives?" disabled={submitting} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={submitting} color="inherit">
          Cancel
        </Button>
        <Button
          variant="contained"
          color="success"
          onClick={confirm}
          disabled={!ready || submitting}
          data-testid="bulk-close-confirm"
          startIcon={submitting ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          Close {formatCount(caseIds.length)} as false positive
        </Button>
      </DialogActions>
    </Dialog>
  );
}
