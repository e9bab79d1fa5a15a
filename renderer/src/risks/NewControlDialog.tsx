// Add a control to the library: tenant, name, type, owner, frequency, description.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { ControlCreateInput, type Control, type ControlFrequency, type ControlType } from '../../../shared/src/risk-register.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { fieldMessage, otherErrors, schemaErrors, serverErrors } from './formErrors.ts';
import { OwnerField, usePeople, type Person } from './OwnerField.tsx';
import { createControl } from './risksApi.ts';
import { CONTROL_TYPE_LABELS, FREQUENCY_LABELS, noteText, oneLine, options } from './riskText.ts';

const FIELDS = ['tenantId', 'name', 'type', 'ownerId', 'frequency', 'description'];
const TYPE_HINT: Record<ControlType, string> = {
  PREVENTIVE: 'Stops it happening: lowers likelihood',
  DETECTIVE: 'Finds it early: lowers impact',
  CORRECTIVE: 'Limits the damage: lowers impact',
};

export function NewControlDialog({
  tenants,
  seenOwners,
  onClose,
  onCreated,
}: {
  tenants: readonly string[];
  seenOwners: readonly Person[];
  onClose: () => void;
  onCreated: (control: Control) => void;
}) {
  const session = useSession();
  const people = usePeople(seenOwners);
  const [tenantId, setTenantId] = useState(tenants[0] ?? 'WEKEZA-KE');
  const [name, setName] = useState('');
  const [type, setType] = useState<ControlType>('PREVENTIVE');
  const [frequency, setFrequency] = useState<ControlFrequency>('QUARTERLY');
  const [ownerId, setOwnerId] = useState<string | null>(session?.user.id ?? null);
  const [description, setDescription] = useState('');
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const body = { tenantId: tenantId.trim(), name, type, frequency, ownerId: ownerId ?? undefined, description };
  const local = schemaErrors(ControlCreateInput, body);
  if (!ownerId) local.ownerId = 'Choose an owner';
  const server = serverErrors(error);
  const message = (f: string) => fieldMessage(f, local, server, touched);
  const touch = (f: string) => () => setTouched((t) => ({ ...t, [f]: true }));
  const save = async () => {
    setTouched(Object.fromEntries(FIELDS.map((f) => [f, true])));
    const parsed = ControlCreateInput.safeParse(body);
    if (!parsed.success) return;
    setSaving(true);
    setError(null);
    try {
      onCreated(await createControl(parsed.data));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };
  const other = otherErrors(error, FIELDS);
  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="sm" fullWidth data-testid="control-new-dialog">
      <DialogTitle>New control</DialogTitle>
      <DialogContent sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', columnGap: 2, rowGap: 0.5, pt: '8px !important' }}>
        <TextField
          label="Name"
          required
          size="small"
          value={name}
          onChange={(e) => setName(oneLine(e.target.value))}
          onBlur={touch('name')}
          error={!!message('name')}
          helperText={message('name') ?? ' '}
          slotProps={{ htmlInput: { maxLength: 200, 'data-testid': 'control-name' } }}
          sx={{ gridColumn: '1 / -1' }}
        />
        <TextField select size="small" label="Type" value={type} onChange={(e) => setType(e.target.value as ControlType)} helperText={TYPE_HINT[type]}>
          {options(CONTROL_TYPE_LABELS).map((o) => (
            <MenuItem key={o.value} value={o.value}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label="Test frequency"
          value={frequency}
          onChange={(e) => setFrequency(e.target.value as ControlFrequency)}
          helperText=" "
        >
          {options(FREQUENCY_LABELS).map((o) => (
            <MenuItem key={o.value} value={o.value}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
        <Autocomplete
          freeSolo
          options={[...tenants]}
          value={tenantId}
          inputValue={tenantId}
          onInputChange={(_, v) => setTenantId(oneLine(v))}
          size="small"
          renderInput={(params) => (
            <TextField
              {...params}
              label="Tenant"
              required
              onBlur={touch('tenantId')}
              error={!!message('tenantId')}
              helperText={message('tenantId') ?? ' '}
              slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, maxLength: 40, 'data-testid': 'control-tenant' } }}
            />
          )}
        />
        <OwnerField people={people} value={ownerId} onChange={setOwnerId} error={message('ownerId')} testId="control-owner" />
        <TextField
          label="Description"
          size="small"
          multiline
          minRows={3}
          maxRows={10}
          value={description}
          onChange={(e) => setDescription(noteText(e.target.value))}
          onBlur={touch('description')}
          error={!!message('description')}
          helperText={message('description') ?? 'What the control does and how it is tested'}
          slotProps={{ htmlInput: { maxLength: 4000, 'data-testid': 'control-description' } }}
          sx={{ gridColumn: '1 / -1' }}
        />
        {other && (
          <Alert severity="error" sx={{ gridColumn: '1 / -1' }}>
            {other}
          </Alert>
        )}
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
          data-testid="control-new-save"
        >
          Add control
        </Button>
      </DialogActions>
    </Dialog>
  );
}
