// The dialog that creates, schedules or edits a toggle configuration. The value is the shared
// `ToggleInput`, checked with the same zod schema the service uses; the service's 400 field
// errors (`body.disabledReason`) land on the same boxes. A 202 answer (four-eyes) is passed up.
// Nothing dangerous is a default: on or off and the fallback while off start unchosen, the effect
// is spelled out before saving, and "approve without assessment" needs an explicit tick.
import { useEffect, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import type { z } from 'zod';
import { ToggleInput, toggleLevel, toggleSpecificity, type DisabledBehaviour, type ToggleConfiguration } from '../../../shared/src/toggles.ts';
import { isHubUnavailable, toApiError, type ApiError } from '../api/client.ts';
import { HubNeededAlert } from '../sync/HubNeededAlert.tsx';
import { FieldGrid, FormProvider, NumberInput, OptionalTextInput, SubHeading, SwitchInput, TextInput } from '../decision-engine/configurations/fields.tsx';
import { mergeErrors, NO_ERRORS, serverFieldErrors, type FieldErrors } from '../decision-engine/configurations/formModel.ts';
import { formatEatMinutes } from '../lib/format.ts';
import { EatDateTimeField, INCOMPLETE, incompleteMessage } from '../ui/EatDateTimeField.tsx';
import { DangerConfirmation, EffectSummary, FallbackChoice, isDangerous } from './ToggleEffect.tsx';
import { LEVEL_LABELS, LevelChip } from './toggleChips.tsx';
import { createToggle, fetchToggle, updateToggle, type WriteOutcome } from './togglesApi.ts';

export type FormMode = { kind: 'create' } | { kind: 'schedule' } | { kind: 'edit'; configuration: ToggleConfiguration };

interface FormValue {
  tenantId: string;
  paymentType: string | null;
  localInstrumentationCode: string | null;
  clearingSystemCode: string | null;
  /** null until the admin chooses: neither "on" nor "off" is a safe default. */
  isEnabled: boolean | null;
  enabledReason: string | null;
  disabledReason: string | null;
  effectiveFrom: string | null;
  effectiveUntil: string | null;
  priority: number;
  isActive: boolean;
  /** null until chosen; required only when the engine is off. */
  disabledBehaviour: DisabledBehaviour | null;
}

/** The next whole hour from now, for a new schedule's start. */
function nextHourIso(): string {
  const d = new Date(Date.now() + 3_600_000);
  d.setUTCMinutes(0, 0, 0);
  return d.toISOString();
}

function initialValue(mode: FormMode, tenantHint: string): FormValue {
  if (mode.kind === 'edit') {
    const c = mode.configuration;
    return {
      tenantId: c.tenantId,
      paymentType: c.paymentType,
      localInstrumentationCode: c.localInstrumentationCode,
      clearingSystemCode: c.clearingSystemCode,
      isEnabled: c.isEnabled,
      enabledReason: c.enabledReason,
      disabledReason: c.disabledReason,
      effectiveFrom: c.effectiveFrom,
      effectiveUntil: c.effectiveUntil,
      priority: c.priority,
      isActive: c.isActive,
      // An enabled configuration's stored fallback was never a decision: switching it off asks again.
      disabledBehaviour: c.isEnabled ? null : c.disabledBehaviour,
    };
  }
  return {
    tenantId: tenantHint,
    paymentType: null,
    localInstrumentationCode: null,
    clearingSystemCode: null,
    isEnabled: null,
    enabledReason: null,
    disabledReason: null,
    effectiveFrom: mode.kind === 'schedule' ? nextHourIso() : null,
    effectiveUntil: null,
    priority: 100,
    isActive: true,
    disabledBehaviour: null,
  };
}

function friendly(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_format' && issue.format === 'datetime') return incompleteMessage();
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'Enter a whole number';
  if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1) return 'Required';
  if (issue.path[0] === 'effectiveUntil' && issue.code === 'custom') return 'Must be after “effective from”';
  return issue.message;
}

function validate(value: FormValue, schedule: boolean, dangerConfirmed: boolean): { errors: FieldErrors; parsed: ToggleInput | null } {
  const errors = new Map<string, string>();
  if (value.isEnabled === null) errors.set('isEnabled', 'Choose whether the bank’s fraud engine is on or off');
  if (value.isEnabled === false && value.disabledBehaviour === null) errors.set('disabledBehaviour', 'Choose what happens to payments while the engine is off');
  if (value.effectiveFrom === INCOMPLETE) errors.set('effectiveFrom', incompleteMessage());
  if (value.effectiveUntil === INCOMPLETE) errors.set('effectiveUntil', incompleteMessage());
  if (isDangerous(value) && value.isActive && !dangerConfirmed)
    errors.set('confirmDanger', 'Tick this to save a configuration that approves payments without assessment');
  const input: ToggleInput = {
    ...value,
    isEnabled: value.isEnabled ?? false,
    disabledBehaviour: value.disabledBehaviour ?? undefined,
    effectiveFrom: value.effectiveFrom === INCOMPLETE ? null : value.effectiveFrom,
    effectiveUntil: value.effectiveUntil === INCOMPLETE ? null : value.effectiveUntil,
  };
  const result = ToggleInput.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.');
      // Until on/off is chosen, which reason is needed is not known yet.
      if (value.isEnabled === null && (key === 'disabledReason' || key === 'enabledReason' || key === 'disabledBehaviour')) continue;
      if (!errors.has(key)) errors.set(key, friendly(issue));
    }
  }
  if (schedule && !errors.has('effectiveFrom')) {
    if (!value.effectiveFrom) errors.set('effectiveFrom', 'A schedule needs a start time');
    else if (Date.parse(value.effectiveFrom) <= Date.now()) errors.set('effectiveFrom', 'Must be in the future to schedule');
  }
  return { errors: errors.size ? errors : NO_ERRORS, parsed: result.success && errors.size === 0 ? input : null };
}

export function ToggleFormDialog({
  mode,
  tenantHint = '',
  onClose,
  onSaved,
}: {
  mode: FormMode | null;
  tenantHint?: string;
  onClose: () => void;
  onSaved: (outcome: WriteOutcome) => void;
}) {
  const [value, setValue] = useState<FormValue>(() => initialValue(mode ?? { kind: 'create' }, tenantHint));
  const [rowVersion, setRowVersion] = useState<number | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [reloading, setReloading] = useState(false);
  const [dangerConfirmed, setDangerConfirmed] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the dialog opens (or another row is edited), not on every parent render.
  useEffect(() => {
    if (!mode) return;
    setValue(initialValue(mode, tenantHint));
    setRowVersion(mode.kind === 'edit' ? mode.configuration.rowVersion : null);
    setShowErrors(false);
    setDangerConfirmed(false);
    setBusy(false);
    setServerError(null);
    // Only when the dialog opens (or another row is edited), not on every parent render.
  }, [mode]);

  const schedule = mode?.kind === 'schedule';
  const validation = useMemo(() => validate(value, schedule, dangerConfirmed), [value, schedule, dangerConfirmed]);
  const errors = mergeErrors(serverFieldErrors(serverError), showErrors ? validation.errors : NO_ERRORS);
  const level = toggleLevel(value);
  const set = <K extends keyof FormValue>(key: K, next: FormValue[K]) => {
    setValue((v) => ({ ...v, [key]: next }));
    // A tick given for one combination does not carry over to another.
    if (key === 'isEnabled' || key === 'disabledBehaviour' || key === 'isActive') setDangerConfirmed(false);
    if (serverError?.fields.some((f) => f.path.replace(/^body\.?/, '') === key)) setServerError(null);
  };

  const save = async () => {
    setShowErrors(true);
    if (!validation.parsed || !mode || busy) return;
    setBusy(true);
    setServerError(null);
    try {
      const outcome =
        mode.kind === 'edit'
          ? await updateToggle(mode.configuration.id, validation.parsed, rowVersion ?? mode.configuration.rowVersion)
          : await createToggle(validation.parsed, mode.kind === 'schedule');
      onSaved(outcome);
      onClose();
    } catch (caught) {
      setServerError(toApiError(caught));
      setBusy(false);
    }
  };

  /** After a 409: load the stored configuration and start again from it. */
  const reload = async () => {
    if (mode?.kind !== 'edit') return;
    setReloading(true);
    try {
      const fresh = await fetchToggle(mode.configuration.id);
      setValue(initialValue({ kind: 'edit', configuration: fresh }, tenantHint));
      setRowVersion(fresh.rowVersion);
      setServerError(null);
    } catch (caught) {
      setServerError(toApiError(caught));
    } finally {
      setReloading(false);
    }
  };

  const title = mode?.kind === 'edit' ? 'Edit toggle configuration' : schedule ? 'Schedule a toggle configuration' : 'New toggle configuration';
  const conflict = serverError?.status === 409;
  const unplaced = serverError && !conflict && serverError.fields.length === 0 ? serverError.message : null;
  const incomplete = value.effectiveFrom === INCOMPLETE || value.effectiveUntil === INCOMPLETE;

  return (
    <Dialog open={!!mode} onClose={busy ? undefined : onClose} fullWidth maxWidth="md" data-testid="toggle-form" aria-labelledby="toggle-form-title">
      <DialogTitle id="toggle-form-title">{title}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1.5 }}>
          Whether the bank’s fraud engine is called for payments of this context. The most specific configuration in force wins; among equally specific ones,
          the lowest priority number.
        </Typography>
        {conflict && (
          <Alert
            severity="warning"
            sx={{ mb: 1.5 }}
            data-testid="toggle-form-conflict"
            action={
              <Button color="inherit" size="small" onClick={reload} disabled={reloading}>
                Reload
              </Button>
            }
          >
            {serverError.message}. Reload to see the current version; your changes here will be replaced.
          </Alert>
        )}
        {unplaced &&
          (isHubUnavailable(serverError) ? (
            <HubNeededAlert sx={{ mb: 1.5 }} />
          ) : (
            <Alert severity="error" sx={{ mb: 1.5 }} data-testid="toggle-form-error">
              {unplaced}
            </Alert>
          ))}
        {showErrors && validation.errors.size > 0 && !serverError && (
          <Alert severity="error" sx={{ mb: 1.5 }}>
            {validation.errors.size === 1 ? 'One field needs attention.' : `${validation.errors.size} fields need attention.`}
          </Alert>
        )}
        <FormProvider value={{ errors, readOnly: false }}>
          <SubHeading action={<LevelChip level={level} />}>Context</SubHeading>
          <FieldGrid columns={4}>
            <TextInput
              path="tenantId"
              label="Tenant"
              required
              mono
              value={value.tenantId}
              onChange={(t) => set('tenantId', t)}
              testId="toggle-tenant"
              maxLength={50}
              placeholder="WEKEZA-KE"
            />
            <OptionalTextInput
              path="paymentType"
              label="Payment type"
              mono
              value={value.paymentType}
              onChange={(t) => set('paymentType', t)}
              testId="toggle-payment-type"
              maxLength={50}
              placeholder="any"
            />
            <OptionalTextInput
              path="localInstrumentationCode"
              label="Local instrument"
              mono
              value={value.localInstrumentationCode}
              onChange={(t) => set('localInstrumentationCode', t)}
              testId="toggle-local-instrument"
              maxLength={50}
              placeholder="any"
            />
            <OptionalTextInput
              path="clearingSystemCode"
              label="Clearing system"
              mono
              value={value.clearingSystemCode}
              onChange={(t) => set('clearingSystemCode', t)}
              testId="toggle-clearing-system"
              maxLength={50}
              placeholder="any"
            />
          </FieldGrid>
          <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', mt: 0.75 }}>
            Applies at the {LEVEL_LABELS[level].toLowerCase()} level (specificity {toggleSpecificity(value)}). Leave a box empty to match any value.
          </Typography>

          <SubHeading>Fraud engine</SubHeading>
          <FieldGrid columns={2}>
            <Box>
              <FormControl error={!!errors.get('isEnabled')} data-testid="toggle-state" data-value={value.isEnabled === null ? '' : String(value.isEnabled)}>
                <FormLabel id="toggle-state-label" sx={{ fontSize: 13 }}>
                  The bank’s fraud engine is… (required)
                </FormLabel>
                <RadioGroup
                  row
                  aria-labelledby="toggle-state-label"
                  value={value.isEnabled === null ? '' : value.isEnabled ? 'on' : 'off'}
                  onChange={(e) => set('isEnabled', e.target.value === 'on')}
                >
                  <FormControlLabel
                    value="on"
                    control={<Radio size="small" slotProps={{ input: { 'data-testid': 'toggle-state-on' } as object }} />}
                    label="On: assess payments"
                  />
                  <FormControlLabel
                    value="off"
                    control={<Radio size="small" slotProps={{ input: { 'data-testid': 'toggle-state-off' } as object }} />}
                    label="Off: do not call it"
                  />
                </RadioGroup>
                {errors.get('isEnabled') && <FormHelperText>{errors.get('isEnabled')}</FormHelperText>}
              </FormControl>
              {value.isEnabled === true && (
                <TextInput
                  path="enabledReason"
                  label="Why enable it"
                  required
                  multiline
                  minRows={2}
                  value={value.enabledReason ?? ''}
                  onChange={(t) => set('enabledReason', t.trim() === '' ? null : t)}
                  testId="toggle-enabled-reason"
                  maxLength={500}
                  sx={{ mt: 1 }}
                />
              )}
              {value.isEnabled === false && (
                <TextInput
                  path="disabledReason"
                  label="Why disable it"
                  required
                  multiline
                  minRows={2}
                  value={value.disabledReason ?? ''}
                  onChange={(t) => set('disabledReason', t.trim() === '' ? null : t)}
                  testId="toggle-disabled-reason"
                  maxLength={500}
                  sx={{ mt: 1 }}
                />
              )}
            </Box>
            <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
              {value.isEnabled === false && (
                <FallbackChoice value={value.disabledBehaviour} onChange={(v) => set('disabledBehaviour', v)} error={errors.get('disabledBehaviour')} />
              )}
              <NumberInput
                path="priority"
                label="Priority"
                value={value.priority}
                onChange={(n) => set('priority', n)}
                min={1}
                max={10_000}
                step={1}
                testId="toggle-priority"
                helper="1–10,000; a lower number wins among equally specific configurations"
              />
            </Box>
          </FieldGrid>

          <SubHeading>When (Nairobi time, EAT)</SubHeading>
          <FieldGrid columns={2}>
            <EatDateTimeField
              label={schedule ? 'Effective from (required)' : 'Effective from'}
              value={value.effectiveFrom}
              onChange={(v) => set('effectiveFrom', v)}
              testId="toggle-from"
              // A half-typed date is named at once, not only after "Schedule" is pressed.
              error={errors.get('effectiveFrom') ?? (value.effectiveFrom === INCOMPLETE ? incompleteMessage() : undefined)}
              helper={value.effectiveFrom && value.effectiveFrom !== INCOMPLETE ? formatEatMinutes(value.effectiveFrom) : 'Empty: in force from now'}
              disablePast={schedule}
            />
            <EatDateTimeField
              label="Effective until"
              value={value.effectiveUntil}
              onChange={(v) => set('effectiveUntil', v)}
              testId="toggle-until"
              error={errors.get('effectiveUntil') ?? (value.effectiveUntil === INCOMPLETE ? incompleteMessage() : undefined)}
              helper={value.effectiveUntil && value.effectiveUntil !== INCOMPLETE ? formatEatMinutes(value.effectiveUntil) : 'Empty: no end'}
            />
          </FieldGrid>
          <Box sx={{ mt: 1.5 }}>
            <SwitchInput
              label="Active"
              checked={value.isActive}
              onChange={(checked) => set('isActive', checked)}
              testId="toggle-active"
              helper="An inactive configuration is kept for the record but never applies"
            />
          </Box>
        </FormProvider>
      </DialogContent>
      {/* Outside the scrolling content, next to the button: the effect is always in view when saving. */}
      <Box sx={{ px: 3, pt: 1, borderTop: 1, borderColor: 'divider' }}>
        <EffectSummary value={value} />
        {isDangerous(value) && value.isActive && (
          <DangerConfirmation checked={dangerConfirmed} onChange={setDangerConfirmed} error={errors.get('confirmDanger')} />
        )}
      </Box>
      <DialogActions>
        <Button onClick={onClose} disabled={busy} color="inherit">
          Cancel
        </Button>
        <Button
          variant="contained"
          onClick={save}
          disabled={busy || conflict || (showErrors && (!validation.parsed || incomplete))}
          data-testid="toggle-save"
          startIcon={busy ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          {mode?.kind === 'edit' ? 'Save changes' : schedule ? 'Schedule' : 'Create'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
