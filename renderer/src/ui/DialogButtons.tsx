// A form dialog's Cancel and confirm buttons: while the request runs both are disabled and the
// confirm button shows a spinner, so a second click cannot send it twice.
import type { ReactNode } from 'react';
import Button, { type ButtonProps } from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import DialogActions from '@mui/material/DialogActions';

export function DialogButtons({
  busy,
  onCancel,
  onConfirm,
  confirmLabel,
  confirmTestId,
  confirmColor,
  disabled = false,
}: {
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
  confirmLabel: ReactNode;
  confirmTestId: string;
  confirmColor?: ButtonProps['color'];
  /** The confirm button is also disabled (e.g. nothing chosen yet). */
  disabled?: boolean;
}) {
  return (
    <DialogActions>
      <Button onClick={onCancel} disabled={busy} color="inherit">
        Cancel
      </Button>
      <Button
        variant="contained"
        color={confirmColor}
        onClick={onConfirm}
        disabled={busy || disabled}
        data-testid={confirmTestId}
        startIcon={busy ? <CircularProgress size={16} color="inherit" /> : undefined}
      >
        {confirmLabel}
      </Button>
    </DialogActions>
  );
}
