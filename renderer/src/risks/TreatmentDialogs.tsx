// Plan a treatment (strategy, title, owner, due date) or add an action to one (title, owner, due date).
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { TreatmentActionCreateInput, TreatmentCreateInput, type TreatmentStrategy } from '../../../shared/src/risk-register.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { DayField, dayFieldProblem } from './DayField.tsx';
import { fieldMessage, otherErrors, schemaErrors, serverErrors } from './formErrors.ts';
import { OwnerField, type Person } from './OwnerField.tsx';
import { noteText, oneLine, options, STRATEGY_LABELS } from './riskText.ts';

export function TreatmentDialog({
  kind,
  people,
  onClose,
  onSave,
}: {
  /** A plan (with strategy and description) or an action of a plan. */
  kind: 'treatment' | 'action';
  people: readonly Person[];
  onClose: () => void;
  onSave: (body: { strategy: TreatmentStrategy; title: string; description: string; ownerId: string; dueDate: string }) => Promise<void>;
}) {
  const session = useSession();
  const [strategy, setStrategy] = useState<TreatmentStrategy>('MITIGATE');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [ownerId, setOwnerId] = useState<string | null>(session?.user.id ?? null);
  const [dueDate, setDueDate] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const body = kind === 'treatment' ? { strategy, title, description, ownerId, dueDate } : { title, ownerId, dueDate };
  const local = schemaErrors(kind === 'treatment' ? TreatmentCreateInput : TreatmentActionCreateInput, body);
  const dueProblem = dayFieldProblem(dueDate, true);
  if (dueProblem) local.dueDate = dueProblem;
  if (!ownerId) local.ownerId = 'Choose an owner';
  const server = serverErrors(error);
  const all = { title: true, ownerId: true, dueDate: true, description: true };
  const message = (f: string) => fieldMessage(f, local, server, tried ? all : {});

  const save = async () => {
    setTried(true);
    if (Object.keys(local).length || !ownerId || !dueDate) return;
    setSaving(true);
    setError(null);
    try {
      await onSave({ strategy, title: title.trim(), description: description.trim(), ownerId, dueDate });
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };
  const other = otherErrors(error, ['strategy', 'title', 'description', 'ownerId', 'dueDate']);
  const prefix = kind === 'treatment' ? 'treatment' : 'action';
  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="sm" fullWidth data-testid={`${prefix}-dialog`}>
      <DialogTitle>{kind === 'treatment' ? 'Plan a treatment' : 'Add an action'}</DialogTitle>
      <DialogContent sx={{ display: 'grid', gap: 0.5, pt: '8px !important' }}>
        {kind === 'treatment' && (
          <TextField select size="small" label="Strategy" value={strategy} onChange={(e) => setStrategy(e.target.value as TreatmentStrategy)} helperText=" ">
            {options(STRATEGY_LABELS).map((o) => (
              <MenuItem key={o.value} value={o.value}>
                {o.label}
              </MenuItem>
            ))}
          </TextField>
        )}
        <TextField
          size="small"
          label="Title"
          required
          value={title}
          onChange={(e) => setTitle(oneLine(e.target.value))}
          error={!!message('title')}
          helperText={message('title') ?? ' '}
          slotProps={{ htmlInput: { maxLength: 200, 'data-testid': `${prefix}-title` } }}
        />
        {kind === 'treatment' && (
          <TextField
            size="small"
            label="Description"
            multiline
            minRows={2}
            maxRows={8}
            value={description}
            onChange={(e) => setDescription(noteText(e.target.value))}
            error={!!message('description')}
            helperText={message('description') ?? ' '}
            slotProps={{ htmlInput: { maxLength: 4000 } }}
          />
        )}
        <OwnerField people={people} value={ownerId} onChange={setOwnerId} error={message('ownerId')} testId={`${prefix}-owner`} />
        <DayField label="Due date" value={dueDate} onChange={setDueDate} error={message('dueDate')} testId={`${prefix}-due`} />
        {other && <Alert severity="error">{other}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button
          variant="contained"
          onClick={() => void save()}
          disabled={saving}
          startIcon={saving ? <CircularProgress size={16} /> : null}
          data-testid={`${prefix}-save`}
        >
          {kind === 'treatment' ? 'Plan treatment' : 'Add action'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
