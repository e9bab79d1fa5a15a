// A confirm dialog with a note: moving a risk's status, approving, rejecting or withdrawing an
// acceptance. `minNote` mirrors the contract (closing and rejecting need a reason).
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { toApiError, type ApiError } from '../api/client.ts';
import { otherErrors, serverErrors } from './formErrors.ts';
import { noteText } from './riskText.ts';

export function NoteActionDialog({
  title,
  body,
  confirm,
  minNote = 0,
  noteLabel = 'Note',
  danger,
  onClose,
  onConfirm,
  testId = 'note-action-dialog',
}: {
  title: string;
  body?: string;
  confirm: string;
  minNote?: number;
  noteLabel?: string;
  danger?: boolean;
  onClose: () => void;
  /** Runs the command; a thrown ApiError is shown in the dialog. */
  onConfirm: (note: string) => Promise<void>;
  testId?: string;
}) {
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const short = note.trim().length < minNote ? `Say in a few words why (at least ${minNote} characters)` : null;
  const message = (tried ? short : null) ?? serverErrors(error).note ?? null;
  const run = async () => {
    setTried(true);
    if (short) return;
    setSaving(true);
    setError(null);
    try {
      await onConfirm(note.trim());
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };
  const other = otherErrors(error, ['note']);
  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="xs" fullWidth data-testid={testId}>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent sx={{ display: 'grid', gap: 1.5 }}>
        {body && <DialogContentText>{body}</DialogContentText>}
        <TextField
          label={noteLabel}
          required={minNote > 0}
          multiline
          minRows={2}
          maxRows={8}
          size="small"
          value={note}
          onChange={(e) => setNote(noteText(e.target.value))}
          error={!!message}
          helperText={message ?? ' '}
          slotProps={{ htmlInput: { maxLength: 2000, 'data-testid': `${testId}-note` } }}
        />
        {other && <Alert severity="error">{other}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button
          variant="contained"
          color={danger ? 'error' : 'primary'}
          onClick={() => void run()}
          disabled={saving}
          startIcon={saving ? <CircularProgress size={16} /> : null}
          data-testid={`${testId}-confirm`}
        >
          {confirm}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
