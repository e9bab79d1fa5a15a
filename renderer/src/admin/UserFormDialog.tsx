// Creates a user (the service answers a one-time password, shown next by the page) or edits one's
// display name, role and tenants. The role and "every tenant" are never preselected.
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { HumanRole } from '../../../shared/src/roles.ts';
import { ROLE_LABELS } from '../../../shared/src/roles.ts';
import { CreateUserRequest, UpdateUserRequest, type AdminUser, type UserWithOneTimePassword } from '../../../shared/src/users.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { DialogButtons } from '../ui/DialogButtons.tsx';
import { createUser, updateUser } from './adminApi.ts';
import { HUMAN_ROLES, isBankWide, ROLE_HINTS } from './roles.ts';
import { TenantField, tenantIdsOf, type TenantChoice } from './TenantField.tsx';

export type UserDialogMode = { kind: 'create' } | { kind: 'edit'; user: AdminUser };

interface FormValue {
  username: string;
  displayName: string;
  role: HumanRole | '';
  tenants: TenantChoice;
}

function initial(mode: UserDialogMode): FormValue {
  if (mode.kind === 'create') return { username: '', displayName: '', role: '', tenants: null };
  const { user } = mode;
  return {
    username: user.username,
    displayName: user.displayName,
    role: user.role as HumanRole,
    tenants: user.tenantIds.length === 0 && isBankWide(user.role) ? { kind: 'all' } : { kind: 'some', tenantIds: user.tenantIds },
  };
}

const sameTenants = (a: readonly string[], b: readonly string[]) => [...a].sort().join('|') === [...b].sort().join('|');

export function UserFormDialog({
  mode,
  tenantSuggestions,
  onClose,
  onCreated,
  onSaved,
  onReload,
}: {
  mode: UserDialogMode | null;
  tenantSuggestions: readonly string[];
  onClose: () => void;
  onCreated: (created: UserWithOneTimePassword) => void;
  onSaved: (user: AdminUser) => void;
  /** After a 409: the stored user, to start again from. */
  onReload: (id: string) => Promise<AdminUser | null>;
}) {
  const [value, setValue] = useState<FormValue>({ username: '', displayName: '', role: '', tenants: null });
  const [base, setBase] = useState<AdminUser | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!mode) return;
    setValue(initial(mode));
    setBase(mode.kind === 'edit' ? mode.user : null);
    setShowErrors(false);
    setBusy(false);
    setError(null);
  }, [mode]);

  const creating = mode?.kind === 'create';
  const bankWide = isBankWide(value.role);
  // A scoped role cannot keep "every tenant".
  const tenants: TenantChoice = !bankWide && value.tenants?.kind === 'all' ? { kind: 'some', tenantIds: [] } : value.tenants;
  const tenantIds = tenantIdsOf(tenants);

  const request = creating
    ? CreateUserRequest.safeParse({
        username: value.username.trim().toLowerCase(),
        displayName: value.displayName,
        role: value.role || undefined,
        tenantIds: tenantIdsOf(tenants) ?? undefined,
      })
    : UpdateUserRequest.safeParse({
        displayName: base && value.displayName.trim() !== base.displayName ? value.displayName : undefined,
        role: base && value.role !== base.role ? value.role || undefined : undefined,
        tenantIds: base && tenantIds && !sameTenants(tenantIds, base.tenantIds) ? tenantIds : undefined,
        expectedVersion: base?.version ?? 1,
      });
  const localErrors = new Map<string, string>();
  if (!request.success) for (const issue of request.error.issues) localErrors.set(String(issue.path[0] ?? ''), issue.message);
  // Plain words for the empty form (zod's messages are for developers).
  if (creating && !value.username.trim()) localErrors.set('username', 'Enter a username');
  if (!value.displayName.trim()) localErrors.set('displayName', 'Enter the name shown on cases');
  if (!value.role) localErrors.set('role', 'Choose a role');
  if (tenants === null || !value.role)
    localErrors.set('tenantIds', !value.role ? 'Choose a role first' : bankWide ? 'Choose: only some tenants, or every tenant' : 'Choose at least one tenant');
  const serverError = (field: string) => error?.fields.find((f) => f.path === `body.${field}`)?.message;
  const fieldError = (field: string) => serverError(field) ?? (showErrors ? localErrors.get(field) : undefined);
  const rightsChange = !creating && !!base && (value.role !== base.role || (!!tenantIds && !sameTenants(tenantIds, base.tenantIds)));
  const nothingChanged = !creating && !!base && !rightsChange && value.displayName.trim() === base.displayName;

  const save = async () => {
    setShowErrors(true);
    if (!request.success || !mode || busy || tenants === null) return;
    setBusy(true);
    setError(null);
    try {
      if (mode.kind === 'create') onCreated(await createUser(request.data as CreateUserRequest));
      else onSaved(await updateUser(mode.user.id, request.data as UpdateUserRequest));
      onClose();
    } catch (caught) {
      setError(toApiError(caught));
      setBusy(false);
    }
  };

  const reload = async () => {
    if (!base) return;
    const fresh = await onReload(base.id);
    if (!fresh) return;
    setBase(fresh);
    setValue(initial({ kind: 'edit', user: fresh }));
    setError(null);
  };

  const conflict = error?.status === 409 && !creating;
  const placed = new Set(['username', 'displayName', 'role', 'tenantIds'].filter((f) => serverError(f)));
  const unplaced = error && placed.size === 0 && !conflict ? error.message : null;

  return (
    <Dialog open={!!mode} onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" data-testid="user-form" aria-labelledby="user-form-title">
      <DialogTitle id="user-form-title">
        {creating ? 'New user' : 'Edit user'}
        {base && (
          <Typography component="span" variant="body2" sx={{ color: 'text.secondary', ml: 1 }}>
            {base.username} · version {base.version}
          </Typography>
        )}
      </DialogTitle>
      <DialogContent dividers>
        {conflict && (
          <Alert
            severity="warning"
            sx={{ mb: 2 }}
            data-testid="user-form-conflict"
            action={
              <Button color="inherit" size="small" onClick={reload}>
                Reload
              </Button>
            }
          >
            {error.message}
          </Alert>
        )}
        {unplaced && (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="user-form-error">
            {unplaced}
          </Alert>
        )}
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 2 }}>
          <TextField
            label="Username"
            value={value.username}
            onChange={(e) => setValue((v) => ({ ...v, username: e.target.value }))}
            disabled={!creating || busy}
            required={creating}
            error={!!fieldError('username')}
            helperText={fieldError('username') ?? (creating ? 'Lower-case, e.g. amina.otieno; cannot be changed later' : 'Usernames cannot be changed')}
            slotProps={{ htmlInput: { 'data-testid': 'user-form-username', autoCapitalize: 'none', spellCheck: false, maxLength: 64 } }}
          />
          <TextField
            label="Display name"
            value={value.displayName}
            onChange={(e) => setValue((v) => ({ ...v, displayName: e.target.value }))}
            disabled={busy}
            required
            error={!!fieldError('displayName') && !nothingChanged}
            helperText={(nothingChanged ? undefined : fieldError('displayName')) ?? 'As shown on cases and in the audit log'}
            slotProps={{ htmlInput: { 'data-testid': 'user-form-display-name', maxLength: 120 } }}
          />
          <TextField
            select
            label="Role"
            value={value.role}
            onChange={(e) => setValue((v) => ({ ...v, role: e.target.value as HumanRole }))}
            disabled={busy}
            required
            error={!!fieldError('role')}
            helperText={fieldError('role') ?? (value.role ? ROLE_HINTS[value.role] : 'Choose what this person may do')}
            sx={{ gridColumn: '1 / -1' }}
            slotProps={{
              select: {
                renderValue: (r) => (r ? ROLE_LABELS[r as HumanRole] : ''),
                SelectDisplayProps: { 'aria-label': 'Role', ...{ 'data-testid': 'user-form-role' } },
              },
            }}
          >
            {HUMAN_ROLES.map((role) => (
              <MenuItem key={role} value={role} data-testid={`user-form-role-${role}`}>
                <ListItemText primary={ROLE_LABELS[role]} secondary={ROLE_HINTS[role]} slotProps={{ secondary: { sx: { whiteSpace: 'normal' } } }} />
              </MenuItem>
            ))}
          </TextField>
          <Box sx={{ gridColumn: '1 / -1' }}>
            <TenantField
              value={tenants}
              onChange={(t) => setValue((v) => ({ ...v, tenants: t }))}
              allowAll={bankWide}
              suggestions={tenantSuggestions}
              error={fieldError('tenantIds')}
              disabled={busy || !value.role}
              testId="user-form-tenants"
            />
          </Box>
        </Box>
        {creating && (
          <Typography variant="body2" sx={{ color: 'text.secondary', mt: 2 }}>
            The service creates a one-time password, shown once after you create the user. They choose their own password at first sign-in.
          </Typography>
        )}
        {rightsChange && (
          <Alert severity="info" variant="outlined" sx={{ mt: 2 }}>
            A new role or new tenants end this user’s open sessions: they sign in again and get the new rights everywhere at once.
          </Alert>
        )}
      </DialogContent>
      <DialogButtons
        busy={busy}
        onCancel={onClose}
        onConfirm={save}
        confirmLabel={creating ? 'Create user' : 'Save'}
        confirmTestId="user-form-save"
        disabled={nothingChanged}
      />
    </Dialog>
  );
}
