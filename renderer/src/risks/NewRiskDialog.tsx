// Identify a risk, or edit one (every field but its tenant; a stale version is a 409 that says
// reload): tenant, title, category, business unit, owner, description, causes and
// consequences. The contract's schema checks each field as it is typed; nothing throws on paste.
import { RecordTenantField } from './RecordTenantField.tsx';
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { RiskCreateInput, type Risk, type RiskCategory } from '../../../shared/src/risk-register.ts';
import type { ApiError } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { editError, fieldMessage, otherErrors, schemaErrors, serverErrors } from './formErrors.ts';
import { OwnerField, usePeople } from './OwnerField.tsx';
import { createRisk, updateRisk } from './risksApi.ts';
import { CATEGORY_LABELS, noteText, oneLine, options } from './riskText.ts';

const FIELDS = ['tenantId', 'title', 'category', 'businessUnit', 'ownerId', 'description', 'causes', 'consequences'];

export function NewRiskDialog({
  onClose,
  onCreated,
  tenants,
  risk,
}: {
  onClose: () => void;
  /** Called with the created risk, or the edited one when `risk` is given. */
  onCreated: (risk: Risk) => void;
  tenants: readonly string[];
  /** Edit this risk (every field but its tenant) instead of identifying a new one. */
  risk?: Risk;
}) {
  const session = useSession();
  // The version the form was filled from: a colleague's save meanwhile must answer 409, even
  // though the page behind refreshes `risk` live.
  const [openedVersion] = useState(risk?.version ?? 0);
  const [tenantId, setTenantId] = useState(risk?.tenantId ?? tenants[0] ?? 'WEKEZA-KE');
  // Only people acting for the chosen tenant can own its records.
  const people = usePeople(risk ? [{ id: risk.ownerId, name: risk.ownerName }] : [], tenantId);
  const [title, setTitle] = useState(risk?.title ?? '');
  const [category, setCategory] = useState<RiskCategory | ''>(risk?.category ?? '');
  const [businessUnit, setBusinessUnit] = useState(risk?.businessUnit ?? '');
  const [ownerId, setOwnerId] = useState<string | null>(risk?.ownerId ?? session?.user.id ?? null);
  const [description, setDescription] = useState(risk?.description ?? '');
  const [causes, setCauses] = useState(risk?.causes ?? '');
  const [consequences, setConsequences] = useState(risk?.consequences ?? '');
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const body = {
    tenantId: tenantId.trim(),
    title,
    category: category || undefined,
    businessUnit,
    ownerId: ownerId ?? undefined,
    description,
    causes,
    consequences,
  };
  const local = schemaErrors(RiskCreateInput, body);
  if (!category) local.category = 'Choose a category';
  if (!ownerId) local.ownerId = 'Choose an owner';
  const server = serverErrors(error);
  const message = (field: string) => fieldMessage(field, local, server, touched);
  const touch = (field: string) => () => setTouched((t) => ({ ...t, [field]: true }));

  const save = async () => {
    setTouched(Object.fromEntries(FIELDS.map((f) => [f, true])));
    const parsed = RiskCreateInput.safeParse(body);
    if (!parsed.success) return;
    setSaving(true);
    setError(null);
    try {
      if (risk) {
        const { tenantId: _tenant, ...fields } = parsed.data;
        onCreated(await updateRisk(risk.id, { ...fields, expectedVersion: openedVersion }));
      } else {
        onCreated(await createRisk(parsed.data));
      }
    } catch (caught) {
      setError(editError(caught));
    } finally {
      setSaving(false);
    }
  };
  const other = otherErrors(error, FIELDS);

  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="md" fullWidth data-testid={risk ? 'risk-edit-dialog' : 'risk-new-dialog'}>
      <DialogTitle>{risk ? `Edit ${risk.reference}` : 'New risk'}</DialogTitle>
      <DialogContent sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, columnGap: 2, rowGap: 0.5, pt: '8px !important' }}>
        <TextField
          label="Title"
          required
          size="small"
          value={title}
          onChange={(e) => setTitle(oneLine(e.target.value))}
          onBlur={touch('title')}
          error={!!message('title')}
          helperText={message('title') ?? 'What could happen, in a line'}
          slotProps={{ htmlInput: { maxLength: 200, 'data-testid': 'risk-title' } }}
          sx={{ gridColumn: '1 / -1' }}
        />
        <TextField
          select
          label="Category"
          required
          size="small"
          value={category}
          onChange={(e) => setCategory(e.target.value as RiskCategory)}
          onBlur={touch('category')}
          error={!!message('category')}
          helperText={message('category') ?? ' '}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'risk-category' } as object } }}
        >
          {options(CATEGORY_LABELS).map((o) => (
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
          locked={!!risk}
          lockedHint={'A risk stays with its tenant'}
          testId="risk-tenant"
        />
        <TextField
          label="Business unit"
          required
          size="small"
          value={businessUnit}
          onChange={(e) => setBusinessUnit(oneLine(e.target.value))}
          onBlur={touch('businessUnit')}
          error={!!message('businessUnit')}
          helperText={message('businessUnit') ?? 'e.g. Retail banking, Treasury'}
          slotProps={{ htmlInput: { maxLength: 100, 'data-testid': 'risk-business-unit' } }}
        />
        <Box onBlur={touch('ownerId')}>
          <OwnerField people={people} value={ownerId} onChange={setOwnerId} error={message('ownerId')} testId="risk-owner" />
        </Box>
        {(
          [
            ['description', 'Description', description, setDescription, 'What the risk is and where it sits'],
            ['causes', 'Causes', causes, setCauses, 'What could bring it about'],
            ['consequences', 'Consequences', consequences, setConsequences, 'What it would cost or break'],
          ] as const
        ).map(([field, label, value, set, hint]) => (
          <TextField
            key={field}
            label={label}
            size="small"
            multiline
            minRows={field === 'description' ? 3 : 2}
            maxRows={8}
            value={value}
            onChange={(e) => set(noteText(e.target.value))}
            onBlur={touch(field)}
            error={!!message(field)}
            helperText={message(field) ?? hint}
            slotProps={{ htmlInput: { maxLength: 4000, 'data-testid': `risk-${field}` } }}
            sx={{ gridColumn: field === 'description' ? '1 / -1' : undefined }}
          />
        ))}
        {other && (
          <Alert severity="error" sx={{ gridColumn: '1 / -1' }} data-testid="risk-new-error">
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
          data-testid="risk-new-save"
        >
          {risk ? 'Save changes' : 'Identify risk'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
