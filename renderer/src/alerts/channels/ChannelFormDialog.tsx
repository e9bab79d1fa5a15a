// Add or edit an alert channel (issue 15). Each kind asks for what it needs: the bank's SMTP relay,
// an SMS gateway (Africa's Talking style), a webhook receiver, or a Slack/Teams incoming webhook.
// Secrets are write-only: the service seals them and only says that one is stored; left empty on
// edit, the stored one is kept. Quiet hours (Nairobi time) and an hourly limit apply to every kind.
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { AlertChannelBody, AlertChannelKind, UpdateAlertChannelRequest, type AlertChannel, type AlertChannelSaved } from '../../../../shared/src/alerts.ts';
import { schemaErrors, serverErrors } from '../../risks/formErrors.ts';
import { noteText, oneLine } from '../../risks/riskText.ts';
import { FormDialog, useFormDialog } from '../../ui/FormDialog.tsx';
import { createAlertChannel, updateAlertChannel } from '../alertsApi.ts';
import { CHANNEL_KIND_LABELS } from '../alertWords.tsx';
import { type ChannelDraft, channelBody, channelMessages, draftOf, EMPTY_DRAFT, SECRET_FIELD, updateBody } from './channelDraft.ts';

const SECRET_LABELS = { password: 'SMTP password', apiKey: 'Gateway API key', incomingWebhookUrl: 'Incoming webhook URL' } as const;
const REQUIRED_SECRET = { apiKey: 'The gateway’s API key is required', incomingWebhookUrl: 'The incoming webhook URL is required' } as const;

export function ChannelFormDialog({
  open,
  channel,
  tenantSuggestions,
  onClose,
  onSaved,
}: {
  open: boolean;
  channel?: AlertChannel | null;
  tenantSuggestions: readonly string[];
  onClose: () => void;
  onSaved: (saved: AlertChannelSaved, created: boolean) => void;
}) {
  const { draft, setDraft, set, busy, error, editing, messageOf, submit } = useFormDialog({ open, record: channel, empty: EMPTY_DRAFT, draftOf });
  const kind = draft.kind || null;
  const secretField = kind ? SECRET_FIELD[kind] : null;
  const body = channelBody(draft);
  const local = channelMessages(
    editing ? schemaErrors(UpdateAlertChannelRequest, updateBody(draft, channel?.version ?? 1)) : schemaErrors(AlertChannelBody, body),
  );
  if (!kind) local.kind = 'Choose how alerts reach people';
  else if (local.kind) delete local.kind;
  if (local.port) local.port = 'A port number, 1–65535';
  if (local.maxPerHour) local.maxPerHour = 'A whole number from 1 to 10,000, or empty for no limit';
  // Slack, Teams and the SMS gateway cannot work without their secret: it is required when adding one.
  if (!editing && secretField && secretField !== 'password' && !draft.secret.trim()) local.secret = REQUIRED_SECRET[secretField];
  const server = channelMessages(serverErrors(error));
  const message = messageOf(local, server);
  const shownFields = [
    'name',
    'tenantId',
    'kind',
    'host',
    'port',
    'security',
    'username',
    'from',
    'to',
    'url',
    'senderId',
    'secret',
    'quietStart',
    'quietEnd',
    'maxPerHour',
  ];
  const fieldOf = (path: string, text: string) => Object.keys(channelMessages({ [path.replace(/^(body|query|params)\./, '')]: text }))[0] ?? '';
  const unshown = error?.fields.filter((f) => !shownFields.includes(fieldOf(f.path, f.message))) ?? [];
  const other = error ? (unshown.length ? unshown.map((f) => `${f.path}: ${f.message}`).join('; ') : error.fields.length ? null : error.message) : null;

  const save = () =>
    submit(
      local,
      async () => {
        if (channel) onSaved(await updateAlertChannel(channel.id, updateBody(draft, channel.version)), false);
        else onSaved(await createAlertChannel(body), true);
      },
      onClose,
    );

  const text = (
    field: keyof ChannelDraft,
    label: string,
    helper: string,
    extra: { multiline?: boolean; type?: string; required?: boolean; width?: 'full' } = {},
  ) => (
    <TextField
      label={label}
      value={draft[field] as string}
      onChange={(e) => set(field, (extra.multiline ? noteText(e.target.value) : oneLine(e.target.value)) as never)}
      required={extra.required}
      disabled={busy}
      multiline={extra.multiline}
      minRows={extra.multiline ? 2 : undefined}
      maxRows={extra.multiline ? 5 : undefined}
      type={extra.type}
      error={!!message(field)}
      helperText={message(field) ?? helper}
      sx={extra.width === 'full' ? { gridColumn: '1 / -1' } : undefined}
      slotProps={{ htmlInput: { 'data-testid': `channel-form-${field}`, spellCheck: false, maxLength: 2000, autoComplete: 'off' } }}
    />
  );

  return (
    <FormDialog
      open={open}
      busy={busy}
      onClose={onClose}
      onSave={save}
      testId="channel-form"
      title={channel ? `Edit ${channel.name}` : 'Add an alert channel'}
      other={other}
      saveLabel={editing ? 'Save' : 'Add channel'}
    >
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2, pt: 0.75 }}>
        {text('name', 'Name', 'Shown in rules and in the delivery story', { required: true })}
        <TextField
          select
          label="Kind"
          value={draft.kind}
          onChange={(e) => setDraft((d) => ({ ...d, kind: e.target.value as AlertChannelKind, secret: '' }))}
          required
          disabled={busy || editing}
          error={!!message('kind')}
          helperText={message('kind') ?? (editing ? 'Fixed once added' : 'How alerts reach people')}
          slotProps={{ select: { SelectDisplayProps: { 'aria-label': 'Kind', 'data-testid': 'channel-form-kind' } as object } }}
        >
          {AlertChannelKind.options.map((k) => (
            <MenuItem key={k} value={k} data-testid={`channel-form-kind-${k}`}>
              {CHANNEL_KIND_LABELS[k]}
            </MenuItem>
          ))}
        </TextField>
        <Autocomplete
          freeSolo
          disabled={busy}
          options={['*', ...tenantSuggestions]}
          value={draft.tenantId}
          inputValue={draft.tenantId}
          onInputChange={(_, v) => set('tenantId', oneLine(v).trim().slice(0, 64))}
          onChange={(_, v) => set('tenantId', v ?? '')}
          renderInput={(params) => (
            <TextField
              {...params}
              label="Tenant"
              required
              error={!!message('tenantId')}
              helperText={message('tenantId') ?? '“*” carries alerts of every tenant'}
              slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'channel-form-tenant', spellCheck: false } }}
            />
          )}
        />
        <FormControlLabel
          control={
            <Switch
              checked={draft.enabled}
              onChange={(e) => set('enabled', e.target.checked)}
              disabled={busy}
              slotProps={{ input: { 'data-testid': 'channel-form-enabled' } as object }}
            />
          }
          label={draft.enabled ? 'Enabled: rules may send through it' : 'Disabled: rules skip it, and what it still had queued is not sent'}
        />
        {kind === 'EMAIL' && (
          <>
            {text('host', 'SMTP relay host', 'The bank’s mail relay', { required: true })}
            <Box sx={{ display: 'flex', gap: 1.5 }}>
              <TextField
                label="Port"
                value={draft.port}
                onChange={(e) => set('port', oneLine(e.target.value).trim().slice(0, 6))}
                required
                disabled={busy}
                error={!!message('port')}
                helperText={message('port') ?? '587 STARTTLS, 465 TLS'}
                sx={{ width: 130 }}
                slotProps={{ htmlInput: { 'data-testid': 'channel-form-port', inputMode: 'numeric' } }}
              />
              <TextField
                select
                label="Security"
                value={draft.security}
                onChange={(e) => set('security', e.target.value as ChannelDraft['security'])}
                disabled={busy}
                error={!!message('security')}
                helperText={message('security') ?? '“None” only for a relay on this machine'}
                sx={{ flex: 1 }}
                slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'channel-form-security' } as object } }}
              >
                <MenuItem value="starttls">STARTTLS (required)</MenuItem>
                <MenuItem value="tls">TLS</MenuItem>
                <MenuItem value="none" data-testid="channel-form-security-none">
                  None (loopback relay)
                </MenuItem>
              </TextField>
            </Box>
            {text('username', 'SMTP username', 'Empty when the relay needs no sign-in')}
            {text('from', 'From address', 'e.g. fraud-alerts@wekeza.co.ke', { required: true })}
            {text('to', 'Recipients', 'Email addresses, one per line or separated by commas (at most 50)', {
              multiline: true,
              required: true,
              width: 'full',
            })}
          </>
        )}
        {kind === 'SMS' && (
          <>
            {text('url', 'Gateway send URL', 'https, or http on this machine', { required: true })}
            {text('username', 'Gateway username', 'The account at the SMS provider', { required: true })}
            {text('senderId', 'Sender id', 'At most 11 characters; empty for the provider’s default')}
            {text('to', 'Phone numbers', 'International form (+2547…), one per line or separated by commas', { multiline: true, required: true })}
          </>
        )}
        {kind === 'WEBHOOK' &&
          text('url', 'Receiver URL', 'Signed with the Standard Webhooks scheme; the signing secret is shown once after adding', {
            required: true,
            width: 'full',
          })}
        {secretField && (
          <TextField
            label={SECRET_LABELS[secretField]}
            value={draft.secret}
            onChange={(e) => set('secret', oneLine(e.target.value).trim())}
            type={secretField === 'incomingWebhookUrl' ? 'text' : 'password'}
            required={!editing && secretField !== 'password'}
            disabled={busy}
            error={!!message('secret')}
            helperText={
              message('secret') ??
              (editing && channel?.secretsSet[secretField]
                ? `Stored${channel.secretHint ? ` (${channel.secretHint})` : ''} — leave empty to keep it`
                : 'Sealed by the service and never shown again')
            }
            sx={{ gridColumn: '1 / -1' }}
            slotProps={{ htmlInput: { 'data-testid': 'channel-form-secret', autoComplete: 'new-password', spellCheck: false, maxLength: 2000 } }}
          />
        )}
      </Box>
      {kind && (
        <Box sx={{ mt: 2.5 }}>
          <Typography variant="subtitle2" sx={{ mb: 1 }}>
            Delivery limits
          </Typography>
          <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }}>
            <FormControlLabel
              control={
                <Checkbox
                  checked={draft.quiet}
                  onChange={(e) => set('quiet', e.target.checked)}
                  disabled={busy}
                  slotProps={{ input: { 'data-testid': 'channel-form-quiet' } as object }}
                />
              }
              label="Quiet hours (Nairobi time)"
              sx={{ mt: 0.5 }}
            />
            {draft.quiet && (
              <>
                <TextField
                  label="From"
                  value={draft.quietStart}
                  onChange={(e) => set('quietStart', oneLine(e.target.value).trim().slice(0, 5))}
                  disabled={busy}
                  error={!!message('quietStart')}
                  helperText={message('quietStart') ?? 'HH:MM'}
                  sx={{ width: 110 }}
                  slotProps={{ htmlInput: { 'data-testid': 'channel-form-quiet-start' } }}
                />
                <TextField
                  label="Until"
                  value={draft.quietEnd}
                  onChange={(e) => set('quietEnd', oneLine(e.target.value).trim().slice(0, 5))}
                  disabled={busy}
                  error={!!message('quietEnd')}
                  helperText={message('quietEnd') ?? 'HH:MM'}
                  sx={{ width: 110 }}
                  slotProps={{ htmlInput: { 'data-testid': 'channel-form-quiet-end' } }}
                />
                <FormControlLabel
                  control={<Checkbox checked={draft.holdCritical} onChange={(e) => set('holdCritical', e.target.checked)} disabled={busy} />}
                  label="Hold critical alerts too"
                  sx={{ mt: 0.5 }}
                />
              </>
            )}
            <TextField
              label="At most per hour"
              value={draft.maxPerHour}
              onChange={(e) => set('maxPerHour', oneLine(e.target.value).trim().slice(0, 9))}
              disabled={busy}
              error={!!message('maxPerHour')}
              helperText={message('maxPerHour') ?? 'More are throttled; empty = no limit'}
              sx={{ width: 200 }}
              slotProps={{ htmlInput: { 'data-testid': 'channel-form-max-per-hour', inputMode: 'numeric' } }}
            />
          </Box>
          <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
            During quiet hours non-critical messages wait until the end and are then sent; critical ones go at once unless held too.
          </Typography>
        </Box>
      )}
    </FormDialog>
  );
}
