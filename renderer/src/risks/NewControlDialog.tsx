// Add a control to the library, or edit one (every field but its tenant; a stale version is a
// 409 that says reload): tenant, name, type, owner, frequency, description.
import { RecordTenantField } from './RecordTenantField.tsx';
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
import { ControlCreateInput, type Control, type ControlFrequency, type ControlType } from '../../../shared/src/risk-register.ts';
import type { ApiError } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { editError, fieldMessage, otherErrors, schemaErrors, serverErrors } from './formErrors.ts';
import { OwnerField, usePeople } from './OwnerField.tsx';
import { createControl, updateControl } from './risksApi.ts';
import { CONTROL_TYPE_LABELS, FREQUENCY_LABELS, noteText, oneLine, options } from './riskText.ts';

const FIELDS = ['tenantId', 'name', 'type', 'ownerId', 'frequency', 'description'];
const TYPE_HINT: Record<ControlType, string> = {
  PREVENTIVE: 'Stops it happening: lowers likelihood',
  DETECTIVE: 'Finds it early: lowers impact',
  CORRECTIVE: 'Limits the damage: lowers impact',
};

export function NewControlDialog({
  tenants,
  onClose,
  onCreated,
  control,
}: {
  tenants: readonly string[];
  onClose: () => void;
  /** Called with the created control, or the edited one when `control` is given. */
  onCreated: (control: Control) => void;
  /** Edit this control instead of adding one. */
  control?: Control;
}) {
  const session = useSession();
  // The version the form was filled from: a colleague's save meanwhile must answer 409, even
  // though the page behind refreshes `control` live.
  const [openedVersion] = useState(control?.version ?? 0);
  const [tenantId, setTenantId] = useState(control?.tenantId ?? tenants[0] ?? 'WEKEZA-KE');
  // Only people acting for the chosen tenant can own its records (the current owner stays choosable).
  const people = usePeople(control ? [{ id: control.ownerId, name: control.ownerName }] : [], tenantId);
  const [name, setName] = useState(control?.name ?? '');
  const [type, setType] = useState<ControlType>(control?.type ?? 'PREVENTIVE');
  const [frequency, setFrequency] = useState<ControlFrequency>(control?.frequency ?? 'QUARTERLY');
  const [ownerId, setOwnerId] = useState<string | null>(control?.ownerId ?? session?.user.id ?? null);
  const [description, setDescription] = useState(control?.description ?? '');
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
      if (control) {
        const { tenantId: _tenant, riskIds: _risks, ...fields } = parsed.data;
        onCreated(await updateControl(control.id, { ...fields, expectedVersion: openedVersion }));
      } else {
        onCreated(await createControl(parsed.data));
      }
    } catch (caught) {
      setError(editError(caught));
    } finally {
      setSaving(false);
    }
  };
  const other = otherErrors(error, FIELDS);
  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="sm" fullWidth data-testid={control ? 'control-edit-dialog' : 'control-new-dialog'}>
      <DialogTitle>{control ? `Edit ${control.reference}` : 'New control'}</DialogTitle>
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
        <RecordTenantField
          tenants={tenants}
          value={tenantId}
          onChange={setTenantId}
          onBlur={touch('tenantId')}
          error={message('tenantId')}
          locked={!!control}
          testId="control-tenant"
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
          <Alert severity="error" sx={{ gridColumn: '1 / -1' }} data-testid="control-form-error">
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
          {control ? 'Save changes' : 'Add control'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
