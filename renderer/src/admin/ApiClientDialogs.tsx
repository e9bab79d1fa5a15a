// Register a machine client (its key is shown once by the page) and rotate a client's key with a
// grace period for the old one. The role is never preselected.
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { MachineRole, ROLE_LABELS } from '../../../shared/src/roles.ts';
import {
  CreateApiClientRequest,
  DEFAULT_ROTATION_GRACE_MINUTES,
  MAX_ROTATION_GRACE_MINUTES,
  type ApiClientView,
  type ApiClientWithKey,
} from '../../../shared/src/users.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { formatEat } from '../lib/format.ts';
import { DialogButtons } from '../ui/DialogButtons.tsx';
import { createApiClient, rotateApiClient } from './adminApi.ts';
import { MACHINE_ROLE_HINTS } from './roles.ts';
import { RotateGraceDialog, type GraceOption } from './RotateGraceDialog.tsx';
import { TenantField, tenantIdsOf, type TenantChoice } from './TenantField.tsx';

function ErrorLine({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <Alert severity="error" sx={{ mb: 2 }} data-testid="client-form-error">
      {error.message}
    </Alert>
  );
}

export function ApiClientFormDialog({
  open,
  tenantSuggestions,
  onClose,
  onCreated,
}: {
  open: boolean;
  tenantSuggestions: readonly string[];
  onClose: () => void;
  onCreated: (client: ApiClientWithKey) => void;
}) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<MachineRole | ''>('');
  const [tenants, setTenants] = useState<TenantChoice>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!open) return;
    setName('');
    setRole('');
    setTenants(null);
    setShowErrors(false);
    setBusy(false);
    setError(null);
  }, [open]);

  const parsed = CreateApiClientRequest.safeParse({ name, role: role || undefined, tenantIds: tenantIdsOf(tenants) ?? [] });
  const local = new Map<string, string>();
  if (!role) local.set('role', 'Choose what this client may do');
  if (!parsed.success) for (const issue of parsed.error.issues) if (!local.has(String(issue.path[0]))) local.set(String(issue.path[0] ?? ''), issue.message);
  const fieldError = (field: string) => error?.fields.find((f) => f.path === `body.${field}`)?.message ?? (showErrors ? local.get(field) : undefined);

  const save = async () => {
    setShowErrors(true);
    if (!parsed.success || !role || busy) return;
    setBusy(true);
    setError(null);
    try {
      onCreated(await createApiClient({ ...parsed.data, role }));
      onClose();
    } catch (caught) {
      setError(toApiError(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" data-testid="client-form" aria-labelledby="client-form-title">
      <DialogTitle id="client-form-title">New machine client</DialogTitle>
      <DialogContent dividers>
        <ErrorLine error={error && !error.fields.length ? error : null} />
        <Box sx={{ display: 'grid', gap: 2 }}>
          <TextField
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            disabled={busy}
            error={!!fieldError('name')}
            helperText={fieldError('name') ?? 'What calls the service with this key, e.g. “Core payment engine (Nairobi DC)”'}
            slotProps={{ htmlInput: { 'data-testid': 'client-form-name', maxLength: 100 } }}
          />
          <TextField
            select
            label="Role"
            value={role}
            onChange={(e) => setRole(e.target.value as MachineRole)}
            required
            disabled={busy}
            error={!!fieldError('role')}
            helperText={fieldError('role') ?? (role ? MACHINE_ROLE_HINTS[role] : 'Choose what this client may do')}
            slotProps={{
              select: {
                renderValue: (r) => (r ? ROLE_LABELS[r as MachineRole] : ''),
                SelectDisplayProps: { 'aria-label': 'Role', ...{ 'data-testid': 'client-form-role' } },
              },
            }}
          >
            {MachineRole.options.map((r) => (
              <MenuItem key={r} value={r} data-testid={`client-form-role-${r}`}>
                <ListItemText primary={ROLE_LABELS[r]} secondary={MACHINE_ROLE_HINTS[r]} />
              </MenuItem>
            ))}
          </TextField>
          <TenantField
            value={role === 'MONITORING' && tenants === null ? { kind: 'some', tenantIds: [] } : tenants}
            onChange={setTenants}
            allowAll={false}
            allowNone={role === 'MONITORING'}
            suggestions={tenantSuggestions}
            error={fieldError('tenantIds')}
            disabled={busy || !role}
            testId="client-form-tenants"
            label={
              role === 'MONITORING' ? 'Acts for (monitoring reads no tenant data)' : role === 'CORE_BANKING' ? 'Feeds risk data for' : 'Scores payments for'
            }
          />
        </Box>
        <Typography variant="body2" sx={{ color: 'text.secondary', mt: 2 }}>
          The key is shown once, after you create the client. It works as an <code>X-API-Key</code> header and as the OAuth2 client secret.
        </Typography>
      </DialogContent>
      <DialogButtons busy={busy} onCancel={onClose} onConfirm={save} confirmLabel="Create client" confirmTestId="client-form-save" />
    </Dialog>
  );
}

const GRACE_OPTIONS: readonly GraceOption[] = [
  { minutes: 0, label: 'None: the old key stops now' },
  { minutes: 60, label: '1 hour' },
  { minutes: DEFAULT_ROTATION_GRACE_MINUTES, label: '24 hours (default)' },
  { minutes: 3 * 24 * 60, label: '3 days' },
  { minutes: MAX_ROTATION_GRACE_MINUTES, label: '7 days (the longest)' },
];

export function RotateKeyDialog({
  client,
  onClose,
  onRotated,
}: {
  client: ApiClientView | null;
  onClose: () => void;
  onRotated: (client: ApiClientWithKey) => void;
}) {
  return (
    <RotateGraceDialog
      target={client}
      testId="client-rotate"
      errorTestId="client-form-error"
      title={<>Rotate the key of {client?.name}</>}
      body={
        <>
          A new key is issued and shown once. Until the grace period ends, the current key ({client?.keyPrefix}…) keeps working too, so that the client can be
          re-configured without an outage. Only one old key is kept: rotating again ends an earlier grace period.
          {client?.previousKeyValidUntil && (
            <Box component="span" sx={{ display: 'block', mt: 1, color: 'warning.main' }}>
              The key before the current one still works until {formatEat(client.previousKeyValidUntil)}; rotating now stops it at once.
            </Box>
          )}
        </>
      }
      graceOptions={GRACE_OPTIONS}
      graceLabel="The current key keeps working for"
      graceHelper="Choose how long the payment engine needs to switch to the new key"
      confirmLabel="Rotate key"
      rotate={(target, grace) => rotateApiClient(target.id, grace)}
      onClose={onClose}
      onRotated={onRotated}
    />
  );
}
