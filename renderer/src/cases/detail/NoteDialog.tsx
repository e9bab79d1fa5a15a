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
import { toApiError, type ApiError } from '../../api/client.ts';
import { NOTE_MAX, NOTE_MIN, noteHelper } from './caseCommands.ts';

/**
 * A confirm dialog that needs a short note (request information, four-eyes confirm / reject).
 * The dialog closes once `submit` resolves (done, or a 409 the page now shows); errors it throws stay in the dialog.
 */
export function NoteDialog({
  open,
  title,
  intro,
  label,
  placeholder,
  confirmLabel,
  confirmColour = 'primary',
  testId,
  noteTestId,
  submitTestId,
  onClose,
  submit,
}: {
  open: boolean;
  title: ReactNode;
  intro: ReactNode;
  label: string;
  placeholder: string;
  confirmLabel: string;
  confirmColour?: 'primary' | 'success' | 'error' | 'warning';
  testId: string;
  noteTestId: string;
  submitTestId: string;
  onClose: () => void;
  submit: (note: string) => Promise<unknown>;
}) {
  const [note, setNote] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (open) {
      setNote('');
      setError(null);
      setSubmitting(false);
    }
  }, [open]);

  const trimmed = note.trim();
  const ready = trimmed.length >= NOTE_MIN && trimmed.length <= NOTE_MAX;
  const noteError = error?.fields.find((f) => f.path === 'note' || f.path.endsWith('.note'))?.message;

  async function confirm() {
    if (!ready || submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      // On a 409 the page shows the reason above the case; the dialog has nothing more to say.
      await submit(trimmed);
      onClose();
    } catch (caught) {
      setError(toApiError(caught));
      setSubmitting(false);
    }
  }

  return (
    <Dialog open={open} onClose={submitting ? undefined : onClose} fullWidth maxWidth="sm" data-testid={testId} aria-labelledby={`${testId}-title`}>
      <DialogTitle id={`${testId}-title`}>{title}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" component="div" sx={{ color: 'text.secondary', mb: 2 }}>
          {intro}
        </Typography>
        {error && !noteError && (
          <Alert severity="error" sx={{ mb: 2 }}>
            {error.message}
          </Alert>
        )}
        <TextField
          autoFocus
          fullWidth
          multiline
          minRows={3}
          maxRows={8}
          label={label}
          placeholder={placeholder}
          value={note}
          onChange={(e) => setNote(e.target.value.slice(0, NOTE_MAX))}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void confirm();
          }}
          disabled={submitting}
          required
          error={!!noteError}
          helperText={noteError ?? noteHelper(note)}
          slotProps={{ htmlInput: { 'data-testid': noteTestId, maxLength: NOTE_MAX } as Record<string, unknown> }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={submitting} color="inherit">
          Cancel
        </Button>
        <Button
          variant="contained"
          color={confirmColour}
          onClick={confirm}
          disabled={!ready || submitting}
          data-testid={submitTestId}
          startIcon={submitting ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
