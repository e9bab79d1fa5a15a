// Add or edit an alert routing rule (issue 15): which alerts (patterns, least severity, tenants) go
// to which channels, who is told in the app, how long the same pattern and entity count as one
// alert, and the escalation steps when nobody acknowledges it in time.
import { useState } from 'react';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import CloseIcon from '@mui/icons-material/Close';
import { AlertRuleBody, AlertSeverity, UpdateAlertRuleRequest, type AlertChannel, type AlertRule } from '../../../../shared/src/alerts.ts';
import { TenantId } from '../../../../shared/src/tenants.ts';
import { schemaErrors, serverErrors } from '../../risks/formErrors.ts';
import { oneLine } from '../../risks/riskText.ts';
import { FormDialog, useFormDialog } from '../../ui/FormDialog.tsx';
import { patternsByFamily } from '../AlertFilters.tsx';
import { createAlertRule, updateAlertRule } from '../alertsApi.ts';
import { CHANNEL_KIND_LABELS, PATTERN_LABELS, ROLE_LABELS, SEVERITY_LABELS } from '../alertWords.tsx';
import { EMPTY_RULE, NOTIFY_ROLES, type NotifyRole, ruleBody, ruleDraftOf, ruleMessages, ruleUpdateBody, type StepDraft } from './ruleDraft.ts';

const FAMILIES = patternsByFamily();

function toggle<T>(list: readonly T[], item: T, on: boolean): T[] {
  return on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);
}

function ChannelPicker({
  channels,
  value,
  onChange,
  disabled,
  testId,
}: {
  channels: readonly AlertChannel[];
  value: string[];
  onChange: (ids: string[]) => void;
  disabled: boolean;
  testId: string;
}) {
  if (channels.length === 0)
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        No channels yet: add one under Alert channels, or notify people in the app only.
      </Typography>
    );
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 2 }} data-testid={testId}>
      {channels.map((c) => (
        <FormControlLabel
          key={c.id}
          control={
            <Checkbox
              size="small"
              checked={value.includes(c.id)}
              disabled={disabled}
              onChange={(e) => onChange(toggle(value, c.id, e.target.checked))}
              slotProps={{ input: { 'data-testid': `${testId}-${c.name}` } as object }}
            />
          }
          label={
            <span>
              {c.name}{' '}
              <Typography component="span" variant="caption" sx={{ color: 'text.secondary' }}>
                {CHANNEL_KIND_LABELS[c.kind]}
                {c.enabled ? '' : ', disabled'}
              </Typography>
            </span>
          }
          sx={{ '& .MuiFormControlLabel-label': { fontSize: 13.5 } }}
        />
      ))}
    </Box>
  );
}

function RolePicker({
  value,
  onChange,
  disabled,
  testId,
}: {
  value: NotifyRole[];
  onChange: (roles: NotifyRole[]) => void;
  disabled: boolean;
  testId: string;
}) {
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 2 }} data-testid={testId}>
      {NOTIFY_ROLES.map((r) => (
        <FormControlLabel
          key={r}
          control={
            <Checkbox
              size="small"
              checked={value.includes(r)}
              disabled={disabled}
              onChange={(e) => onChange(toggle(value, r, e.target.checked))}
              slotProps={{ input: { 'data-testid': `${testId}-${r}` } as object }}
            />
          }
          label={ROLE_LABELS[r]}
          sx={{ '& .MuiFormControlLabel-label': { fontSize: 13.5 } }}
        />
      ))}
    </Box>
  );
}

export function RuleFormDialog({
  open,
  rule,
  channels,
  tenantSuggestions,
  onClose,
  onSaved,
}: {
  open: boolean;
  rule?: AlertRule | null;
  channels: readonly AlertChannel[];
  tenantSuggestions: readonly string[];
  onClose: () => void;
  onSaved: (rule: AlertRule) => void;
}) {
  const [tenantText, setTenantText] = useState('');
  const { draft, setDraft, set, busy, error, editing, messageOf, submit } = useFormDialog({
    open,
    record: rule,
    empty: EMPTY_RULE,
    draftOf: ruleDraftOf,
    onOpen: () => setTenantText(''),
  });
  const setStep = (i: number, step: Partial<StepDraft>) =>
    setDraft((d) => ({ ...d, escalation: d.escalation.map((s, j) => (j === i ? { ...s, ...step } : s)) }));
  const local = ruleMessages(
    editing ? schemaErrors(UpdateAlertRuleRequest, ruleUpdateBody(draft, rule?.version ?? 1)) : schemaErrors(AlertRuleBody, ruleBody(draft)),
  );
  const tenantTyped = tenantText.trim() && !TenantId.safeParse(tenantText).success ? 'Letters, digits, dot, dash and underscore only' : null;
  const server = ruleMessages(serverErrors(error));
  const message = messageOf(local, server);
  const shown = [
    'name',
    'patterns',
    'minSeverity',
    'tenantIds',
    'channelIds',
    'dedupWindowMinutes',
    'notifyRoles',
    ...draft.escalation.map((_, i) => `escalation.${i}`),
  ];
  const unshown = Object.entries(server).filter(([f]) => !shown.includes(f));
  const other = error ? (unshown.length ? unshown.map(([f, m]) => `${f}: ${m}`).join('; ') : error.fields.length ? null : error.message) : null;

  const save = () =>
    submit(
      local,
      async () => onSaved(rule ? await updateAlertRule(rule.id, ruleUpdateBody(draft, rule.version)) : await createAlertRule(ruleBody(draft))),
      onClose,
    );

  return (
    <FormDialog
      open={open}
      busy={busy}
      onClose={onClose}
      onSave={save}
      testId="rule-form"
      title={rule ? `Edit ${rule.name}` : 'Add an alert rule'}
      other={other}
      saveLabel={editing ? 'Save' : 'Add rule'}
    >
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '2fr 1fr 1fr' }, gap: 2, pt: 0.75 }}>
        <TextField
          label="Name"
          value={draft.name}
          onChange={(e) => set('name', oneLine(e.target.value).slice(0, 100))}
          required
          disabled={busy}
          error={!!message('name')}
          helperText={message('name') ?? 'e.g. Money laundering to compliance'}
          slotProps={{ htmlInput: { 'data-testid': 'rule-form-name', maxLength: 100 } }}
        />
        <TextField
          select
          label="Least severity"
          value={draft.minSeverity}
          onChange={(e) => set('minSeverity', e.target.value as AlertSeverity)}
          disabled={busy}
          helperText="This severity and above"
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'rule-form-severity' } as object } }}
        >
          {AlertSeverity.options.map((s) => (
            <MenuItem key={s} value={s} data-testid={`rule-form-severity-${s}`}>
              {SEVERITY_LABELS[s]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Dedup window (minutes)"
          value={draft.dedupWindowMinutes}
          onChange={(e) => set('dedupWindowMinutes', oneLine(e.target.value).trim().slice(0, 8))}
          disabled={busy}
          error={!!message('dedupWindowMinutes')}
          helperText={message('dedupWindowMinutes') ?? 'Same pattern and entity again: one alert'}
          slotProps={{ htmlInput: { 'data-testid': 'rule-form-dedup', inputMode: 'numeric' } }}
        />
      </Box>
      <Box sx={{ mt: 2 }} role="group" aria-label="Patterns" data-testid="rule-form-patterns">
        <Typography variant="subtitle2">Patterns</Typography>
        <FormHelperText sx={{ mt: 0 }} error={!!message('patterns')}>
          {message('patterns') ?? (draft.patterns.length === 0 ? 'None ticked: every pattern' : `${draft.patterns.length} ticked`)}
        </FormHelperText>
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2 }}>
          {FAMILIES.map(({ family, patterns }) => (
            <Box key={family} sx={{ mt: 0.5 }}>
              <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600 }}>
                {family}
              </Typography>
              {patterns.map((p) => (
                <FormControlLabel
                  key={p}
                  sx={{ display: 'flex', ml: 0, '& .MuiFormControlLabel-label': { fontSize: 13.5 } }}
                  control={
                    <Checkbox
                      size="small"
                      checked={draft.patterns.includes(p)}
                      disabled={busy}
                      onChange={(e) => set('patterns', toggle(draft.patterns, p, e.target.checked))}
                      slotProps={{ input: { 'data-testid': `rule-form-pattern-${p}` } as object }}
                    />
                  }
                  label={PATTERN_LABELS[p]}
                />
              ))}
            </Box>
          ))}
        </Box>
      </Box>
      <Box sx={{ mt: 2 }}>
        <Autocomplete
          multiple
          freeSolo
          options={[...tenantSuggestions]}
          value={draft.tenantIds}
          inputValue={tenantText}
          onInputChange={(_, v) => setTenantText(oneLine(v).slice(0, 50))}
          onChange={(_, v) => set('tenantIds', [...new Set(v.map((t) => t.trim()).filter((t) => TenantId.safeParse(t).success))])}
          disabled={busy}
          renderInput={(params) => (
            <TextField
              {...params}
              label="Tenants"
              error={!!(tenantTyped || message('tenantIds'))}
              helperText={tenantTyped ?? message('tenantIds') ?? 'Empty: every tenant you may see. Type a tenant and press Enter.'}
              slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'rule-form-tenants', spellCheck: false } }}
            />
          )}
        />
      </Box>
      <Box sx={{ mt: 2 }}>
        <Typography variant="subtitle2">Send to channels</Typography>
        <ChannelPicker channels={channels} value={draft.channelIds} onChange={(ids) => set('channelIds', ids)} disabled={busy} testId="rule-form-channel" />
        {message('channelIds') && <FormHelperText error>{message('channelIds')}</FormHelperText>}
      </Box>
      <Box sx={{ mt: 2 }}>
        <Typography variant="subtitle2">Notify in the app and on the desktop</Typography>
        <RolePicker value={draft.notifyRoles} onChange={(roles) => set('notifyRoles', roles)} disabled={busy} testId="rule-form-role" />
        <FormHelperText sx={{ mt: 0 }}>People with these roles in the alert’s tenant</FormHelperText>
      </Box>
      <Box sx={{ mt: 2 }} data-testid="rule-form-escalation">
        <Typography variant="subtitle2">Escalation when nobody acknowledges</Typography>
        {draft.escalation.length === 0 && (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            No escalation: the alert waits in the inbox.
          </Typography>
        )}
        {draft.escalation.map((step, i) => (
          <Box key={i} sx={{ border: 1, borderColor: message(`escalation.${i}`) ? 'error.main' : 'divider', borderRadius: 1.5, p: 1.5, mt: 1 }}>
            <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1.5 }}>
              <Typography variant="body2" sx={{ fontWeight: 650, mt: 1 }}>
                Level {i + 1}
              </Typography>
              <TextField
                size="small"
                label="After (minutes)"
                value={step.afterMinutes}
                onChange={(e) => setStep(i, { afterMinutes: oneLine(e.target.value).trim().slice(0, 8) })}
                disabled={busy}
                error={!!message(`escalation.${i}`)}
                helperText={message(`escalation.${i}`) ?? (i === 0 ? 'after the alert was raised' : 'after the previous level')}
                sx={{ width: 200 }}
                slotProps={{ htmlInput: { 'data-testid': `rule-form-step-${i}-after`, inputMode: 'numeric' } }}
              />
              <Box sx={{ flex: 1 }} />
              <IconButton
                aria-label={`Remove level ${i + 1}`}
                onClick={() =>
                  set(
                    'escalation',
                    draft.escalation.filter((_, j) => j !== i),
                  )
                }
                disabled={busy}
              >
                <CloseIcon fontSize="small" />
              </IconButton>
            </Box>
            <ChannelPicker
              channels={channels}
              value={step.channelIds}
              onChange={(ids) => setStep(i, { channelIds: ids })}
              disabled={busy}
              testId={`rule-form-step-${i}-channel`}
            />
            <RolePicker value={step.notifyRoles} onChange={(roles) => setStep(i, { notifyRoles: roles })} disabled={busy} testId={`rule-form-step-${i}-role`} />
          </Box>
        ))}
        {draft.escalation.length < 5 && (
          <Button
            size="small"
            startIcon={<AddIcon fontSize="small" />}
            sx={{ mt: 1 }}
            disabled={busy}
            onClick={() => set('escalation', [...draft.escalation, { afterMinutes: '30', channelIds: [], notifyRoles: [] }])}
            data-testid="rule-form-add-step"
          >
            Add escalation level
          </Button>
        )}
      </Box>
      <FormControlLabel
        sx={{ mt: 1.5 }}
        control={
          <Switch
            checked={draft.enabled}
            onChange={(e) => set('enabled', e.target.checked)}
            disabled={busy}
            slotProps={{ input: { 'data-testid': 'rule-form-enabled' } as object }}
          />
        }
        label={draft.enabled ? 'Enabled' : 'Disabled: matches nothing'}
      />
    </FormDialog>
  );
}
