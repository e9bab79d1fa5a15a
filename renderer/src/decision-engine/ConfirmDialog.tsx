// One confirmation dialog for the decision engine's consequential actions (delete, discard,
// publish, cancel an assessment, a manual decision, retrain): a sentence saying what will happen,
// optional extra fields, an optional reason/note, and the error if the service refuses.
import { useEffect, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { isHubUnavailable, toApiError, type ApiError } from '../api/client.ts';
import { HubNeededAlert } from '../sync/HubNeededAlert.tsx';

export interface ReasonSpec {
  label: string;
  /** Minimum length after trimming; 0 = optional. */
  minLength: number;
  maxLength: number;
  placeholder?: string;
  testId?: string;
  /** Says why the reason is asked for (shown under the field with the character count). */
  helper?: string;
}

export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  confirmColor = 'primary',
  reason,
  children,
  canConfirm = true,
  onConfirm,
  onClose,
  testId,
  confirmTestId,
  maxWidth = 'sm',
}: {
  open: boolean;
  title: ReactNode;
  body: ReactNode;
  confirmLabel: string;
  confirmColor?: 'primary' | 'error' | 'warning' | 'success';
  reason?: ReasonSpec;
  children?: ReactNode;
  canConfirm?: boolean;
  /** Resolves when done (the dialog closes); a rejection is shown in the dialog. */
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
  testId?: string;
  confirmTestId?: string;
  maxWidth?: 'sm' | 'md' | 'lg';
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (open) {
      setText('');
      setError(null);
      setBusy(false);
    }
  }, [open]);

  const trimmed = text.trim();
  const reasonOk = !reason || (trimmed.length >= reason.minLength && trimmed.length <= reason.maxLength);
  const fieldError = error?.fields.find((f) => /reason|note|changeNote/.test(f.path))?.message;

  const confirm = async () => {
    if (!reasonOk || !canConfirm || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(trimmed);
      onClose();
    } catch (caught) {
      setError(toApiError(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} fullWidth maxWidth={maxWidth} data-testid={testId}>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" component="div" sx={{ color: 'text.secondary', mb: 2 }}>
          {body}
        </Typography>
        {error &&
          (isHubUnavailable(error) ? (
            <HubNeededAlert sx={{ mb: 2 }} />
          ) : (
            <Alert severity="error" sx={{ mb: 2 }}>
              {error.message}
            </Alert>
          ))}
        {children}
        {reason && (
          <TextField
            fullWidth
            multiline
            minRows={2}
            maxRows={6}
            label={reason.label}
            placeholder={reason.placeholder}
            value={text}
            required={reason.minLength > 0}
            disabled={busy}
            onChange={(e) => setText(e.target.value.slice(0, reason.maxLength))}
            error={!!fieldError}
            helperText={
              fieldError ??
              `${reason.helper ? `${reason.helper} · ` : ''}${
                reason.minLength > 0 && trimmed.length < reason.minLength
                  ? `At least ${reason.minLength} characters · ${trimmed.length}/${reason.maxLength}`
                  : `${trimmed.length}/${reason.maxLength}`
              }`
            }
            slotProps={{
              htmlInput: { 'data-testid': reason.testId, maxLength: reason.maxLength },
              formHelperText: { 'data-testid': reason.testId ? `${reason.testId}-helper` : undefined } as object,
            }}
            sx={{ mt: children ? 2 : 0 }}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy} color="inherit">
          Cancel
        </Button>
        <Button
          variant="contained"
          color={confirmColor}
          onClick={confirm}
          disabled={!reasonOk || !canConfirm || busy}
          data-testid={confirmTestId}
          startIcon={busy ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
