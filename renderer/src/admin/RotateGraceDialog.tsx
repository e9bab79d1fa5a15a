// Rotating a credential (an API client's key, an Open Banking app's client secret): the new one is
// shown once by the caller; the old one keeps working for a grace period the administrator
// chooses (never preselected, and "none" is an explicit choice). One dialog serves both screens.
import { useEffect, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { toApiError, type ApiError } from '../api/client.ts';
import { DialogButtons } from '../ui/DialogButtons.tsx';

export interface GraceOption {
  minutes: number;
  label: string;
}

export function RotateGraceDialog<V, T>({
  target,
  title,
  body,
  graceOptions,
  graceLabel,
  graceHelper,
  confirmLabel,
  testId,
  errorTestId,
  rotate,
  onClose,
  onRotated,
}: {
  /** What is rotated; the dialog is open while it is set. */
  target: V | null;
  title: ReactNode;
  /** What rotating does, shown above the grace period. */
  body: ReactNode;
  graceOptions: readonly GraceOption[];
  graceLabel: string;
  graceHelper: string;
  confirmLabel: string;
  /** Prefix of the test ids: `${testId}`, `${testId}-grace`, `${testId}-grace-${minutes}`, `${testId}-confirm`. */
  testId: string;
  errorTestId?: string;
  rotate: (target: V, graceMinutes: number) => Promise<T>;
  onClose: () => void;
  onRotated: (rotated: T) => void;
}) {
  const [grace, setGrace] = useState<number | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!target) return;
    setGrace('');
    setBusy(false);
    setError(null);
  }, [target]);

  const confirm = async () => {
    if (!target || grace === '' || busy) return;
    setBusy(true);
    setError(null);
    try {
      onRotated(await rotate(target, grace));
      onClose();
    } catch (caught) {
      setError(toApiError(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog open={!!target} onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" data-testid={testId} aria-labelledby={`${testId}-title`}>
      <DialogTitle id={`${testId}-title`}>{title}</DialogTitle>
      <DialogContent dividers>
        {error && (
          <Alert severity="error" sx={{ mb: 2 }} data-testid={errorTestId}>
            {error.message}
          </Alert>
        )}
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2 }}>
          {body}
        </Typography>
        <TextField
          select
          fullWidth
          required
          label={graceLabel}
          value={grace}
          onChange={(e) => setGrace(Number(e.target.value))}
          disabled={busy}
          helperText={graceHelper}
          slotProps={{ select: { SelectDisplayProps: { 'aria-label': 'Grace period', ...{ 'data-testid': `${testId}-grace` } } } }}
        >
          {graceOptions.map((o) => (
            <MenuItem key={o.minutes} value={o.minutes} data-testid={`${testId}-grace-${o.minutes}`}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
      </DialogContent>
      <DialogButtons
        busy={busy}
        onCancel={onClose}
        onConfirm={confirm}
        confirmLabel={confirmLabel}
        confirmTestId={`${testId}-confirm`}
        confirmColor="warning"
        disabled={grace === ''}
      />
    </Dialog>
  );
}
