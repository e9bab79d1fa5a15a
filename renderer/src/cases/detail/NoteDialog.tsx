import { useEffect, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { toApiError, type ApiError } from '../../api/client.ts';
import { CaseNoteField, noteReady } from '../CaseNoteField.tsx';

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
  const ready = noteReady(note);
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
        <CaseNoteField
          autoFocus
          value={note}
          onChange={setNote}
          testId={noteTestId}
          label={label}
          placeholder={placeholder}
          disabled={submitting}
          error={noteError}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void confirm();
          }}
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
