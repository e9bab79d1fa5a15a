// Register an Open Banking app (its client secret is then shown once by the page) or edit one.
// What is typed is checked with the contract's own schemas (RegisterAppRequest, UpdateAppRequest),
// so the form and the service agree; redirect URIs are one per line, and a bad line is named.
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  APP_KIND_LABELS,
  AppKind,
  OB_SCOPE_LABELS,
  OB_SCOPES,
  RegisterAppRequest,
  UpdateAppRequest,
  type ObAppView,
  type ObAppWithSecret,
  type ObScope,
} from '../../../shared/src/open-banking.ts';
import { schemaErrors, serverErrors } from '../risks/formErrors.ts';
import { noteText, oneLine } from '../risks/riskText.ts';
import { FormDialog, useFormDialog } from '../ui/FormDialog.tsx';
import { redirectLines } from './appText.ts';
import { registerObApp, updateObApp } from './obAppsApi.ts';

interface Draft {
  tenantId: string;
  name: string;
  kind: AppKind | '';
  description: string;
  contactEmail: string;
  redirectUris: string;
  scopes: ObScope[];
}

const EMPTY: Draft = { tenantId: '', name: '', kind: '', description: '', contactEmail: '', redirectUris: '', scopes: [] };

function draftOf(app: ObAppView): Draft {
  return {
    tenantId: app.tenantId,
    name: app.name,
    kind: app.kind,
    description: app.description,
    contactEmail: app.contactEmail ?? '',
    redirectUris: app.redirectUris.join('\n'),
    scopes: [...app.allowedScopes],
  };
}

/** Field messages keyed by form field; a redirect URI's message names its line. */
function messages(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    const uri = /^redirectUris\.(\d+)$/.exec(path);
    const field = uri ? 'redirectUris' : (path.split('.')[0] ?? path);
    if (out[field]) continue;
    out[field] = uri ? `Line ${Number(uri[1]) + 1}: ${message}` : message;
  }
  return out;
}

export function AppFormDialog({
  open,
  app,
  tenantSuggestions,
  onClose,
  onRegistered,
  onSaved,
}: {
  open: boolean;
  /** Editing this app; registering a new one when absent. */
  app?: ObAppView | null;
  tenantSuggestions: readonly string[];
  onClose: () => void;
  onRegistered?: (app: ObAppWithSecret) => void;
  onSaved?: (app: ObAppView) => void;
}) {
  // The tenant is chosen, never guessed: the bank has several entities (ARCHITECTURE.md "Tenants").
  const { draft, set, busy, error, editing, messageOf, submit } = useFormDialog({ open, record: app, empty: EMPTY, draftOf });
  const common = {
    name: draft.name.trim(),
    description: draft.description,
    contactEmail: draft.contactEmail.trim() || null,
    redirectUris: redirectLines(draft.redirectUris),
    allowedScopes: draft.scopes,
  };
  const registerBody = { ...common, tenantId: draft.tenantId.trim(), kind: draft.kind || undefined };
  const updateBody = { ...common, expectedVersion: app?.version ?? 1 };
  const local = messages(editing ? schemaErrors(UpdateAppRequest, updateBody) : schemaErrors(RegisterAppRequest, registerBody));
  if (!editing && !draft.kind) local.kind = 'Choose what kind of app this is';
  const server = messages(serverErrors(error));
  const message = messageOf(local, server);
  const other = error && !error.fields.length ? error.message : null;

  const save = () =>
    submit(
      local,
      async () => {
        if (app) onSaved?.(await updateObApp(app.id, updateBody));
        else onRegistered?.(await registerObApp({ ...registerBody, kind: draft.kind as AppKind }));
      },
      onClose,
    );

  return (
    <FormDialog
      open={open}
      busy={busy}
      onClose={onClose}
      onSave={save}
      testId="app-form"
      title={app ? `Edit ${app.name}` : 'Register an Open Banking app'}
      other={other}
      saveLabel={editing ? 'Save' : 'Register app'}
    >
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2, pt: 0.75 }}>
        <Autocomplete
          freeSolo
          disabled={busy || editing}
          options={[...tenantSuggestions]}
          value={draft.tenantId}
          inputValue={draft.tenantId}
          onInputChange={(_, v) => set('tenantId', oneLine(v).trim().slice(0, 64))}
          onChange={(_, v) => set('tenantId', v ?? '')}
          renderInput={(params) => (
            <TextField
              {...params}
              label="Bank entity (tenant)"
              required
              error={!!message('tenantId')}
              helperText={message('tenantId') ?? (editing ? 'An app stays with its tenant' : 'Whose customers the app serves')}
              slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'app-form-tenant', spellCheck: false } }}
            />
          )}
        />
        <TextField
          select
          label="Kind"
          value={draft.kind}
          onChange={(e) => set('kind', e.target.value as AppKind)}
          required
          disabled={busy || editing}
          error={!!message('kind')}
          helperText={message('kind') ?? (editing ? 'Fixed at registration' : 'Seed 002’s consumers')}
          slotProps={{ select: { SelectDisplayProps: { 'aria-label': 'Kind', ...{ 'data-testid': 'app-form-kind' } } } }}
        >
          {AppKind.options.map((k) => (
            <MenuItem key={k} value={k} data-testid={`app-form-kind-${k}`}>
              {APP_KIND_LABELS[k]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Name"
          value={draft.name}
          onChange={(e) => set('name', oneLine(e.target.value))}
          required
          disabled={busy}
          error={!!message('name')}
          helperText={message('name') ?? 'Shown to customers on the consent screen'}
          slotProps={{ htmlInput: { 'data-testid': 'app-form-name', maxLength: 200 } }}
        />
        <TextField
          label="Contact email"
          value={draft.contactEmail}
          onChange={(e) => set('contactEmail', oneLine(e.target.value).trim())}
          disabled={busy}
          error={!!message('contactEmail')}
          helperText={message('contactEmail') ?? 'Who at the partner to call about this app'}
          slotProps={{ htmlInput: { 'data-testid': 'app-form-contact', maxLength: 320, spellCheck: false } }}
        />
        <TextField
          label="Description"
          value={draft.description}
          onChange={(e) => set('description', noteText(e.target.value))}
          multiline
          minRows={3}
          maxRows={6}
          disabled={busy}
          error={!!message('description')}
          helperText={message('description') ?? ' '}
          slotProps={{ htmlInput: { 'data-testid': 'app-form-description', maxLength: 2000 } }}
        />
        <TextField
          label="Redirect URIs"
          value={draft.redirectUris}
          onChange={(e) => set('redirectUris', noteText(e.target.value))}
          multiline
          minRows={3}
          maxRows={6}
          disabled={busy}
          error={!!message('redirectUris')}
          helperText={message('redirectUris') ?? 'One per line: https, or http on 127.0.0.1/localhost; at most 10'}
          slotProps={{ htmlInput: { 'data-testid': 'app-form-redirects', spellCheck: false } }}
        />
      </Box>
      <Box sx={{ mt: 2 }} role="group" aria-label="Allowed scopes" data-testid="app-form-scopes">
        <Typography variant="subtitle2">Allowed scopes</Typography>
        <FormGroup row>
          {OB_SCOPES.map((scope) => (
            <FormControlLabel
              key={scope}
              control={
                <Checkbox
                  size="small"
                  checked={draft.scopes.includes(scope)}
                  disabled={busy}
                  onChange={(e) =>
                    set('scopes', e.target.checked ? OB_SCOPES.filter((s) => s === scope || draft.scopes.includes(s)) : draft.scopes.filter((s) => s !== scope))
                  }
                  slotProps={{ input: { 'data-testid': `app-form-scope-${scope}` } as object }}
                />
              }
              label={
                <span>
                  <code>{scope}</code> — {OB_SCOPE_LABELS[scope]}
                </span>
              }
              sx={{ mr: 3, '& .MuiFormControlLabel-label': { fontSize: 13.5 } }}
            />
          ))}
        </FormGroup>
        <FormHelperText error={!!message('allowedScopes')}>{message('allowedScopes') ?? 'The most a customer can be asked to grant this app'}</FormHelperText>
      </Box>
      {!editing && (
        <Typography variant="body2" sx={{ color: 'text.secondary', mt: 2 }}>
          The client id and secret are shown once, after you register the app. The service keeps the secret sealed and cannot show it again.
        </Typography>
      )}
    </FormDialog>
  );
}
