// Creates, edits or (read-only roles) shows a case queue. The value is the shared `CaseQueueInput`,
// checked on every change with the schema the service uses; the service's 400 field paths
// (`body.sla.HIGH`) land on the same boxes, and a stale version (409) offers a reload.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormHelperText from '@mui/material/FormHelperText';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import CheckIcon from '@mui/icons-material/Check';
import LockOutlined from '@mui/icons-material/LockOutlined';
import type { CaseQueue, QueueKind } from '../../../shared/src/queues.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { fetchQueues, createQueue, updateQueue } from '../cases/casesApi.ts';
import {
  ChipListInput,
  FieldGrid,
  FormProvider,
  NumberInput,
  SelectInput,
  SubHeading,
  SwitchInput,
  TextInput,
  useForm,
} from '../decision-engine/configurations/fields.tsx';
import { mergeErrors, NO_ERRORS, serverFieldErrors, type FieldErrors } from '../decision-engine/configurations/formModel.ts';
import { DefaultBadge } from './queueChips.tsx';
import { SlaEscalationFields } from './SlaEscalationFields.tsx';
import {
  CHANNEL_LABELS,
  CHANNELS,
  emptyQueue,
  formatSlaMinutes,
  RISK_LABELS,
  RISK_LEVELS,
  routingSummary,
  toFormValue,
  validateQueue,
  type QueueFormValue,
} from './queueModel.ts';

export type QueueDialogMode = { kind: 'create' } | { kind: 'edit'; queue: CaseQueue } | { kind: 'view'; queue: CaseQueue };

const KIND_OPTIONS: { value: QueueKind; label: string; hint: string }[] = [
  { value: 'STANDARD', label: 'Standard', hint: 'Takes new cases that match its routing rule' },
  { value: 'ESCALATION', label: 'Escalation', hint: 'Takes cases an analyst escalates; routing rules are not used' },
];

// Common codes, offered as suggestions only: any code can be typed.
const TENANT_SUGGESTIONS = ['WEKEZA-KE', 'WEKEZA-UG', 'WEKEZA-TZ'];
const PAYMENT_TYPE_SUGGESTIONS = ['SWIFT', 'SWIFT_TRANSFER', 'RTGS', 'EFT', 'PESALINK', 'MOBILE_MONEY', 'CARD_PAYMENT'];

/** A multi-select as a row of toggle chips; none selected means "any". */
function ChoiceChips<V extends string>({
  path,
  label,
  options,
  labels,
  values,
  onChange,
  anyText,
  testIdPrefix,
  dot,
}: {
  path: string;
  label: string;
  options: readonly V[];
  labels: Record<V, string>;
  values: readonly V[];
  onChange: (values: V[]) => void;
  anyText: string;
  testIdPrefix: string;
  dot?: (value: V) => string;
}) {
  const theme = useTheme();
  const { errorAt, readOnly } = useForm();
  const error = errorAt(path);
  return (
    <Box role="group" aria-label={label}>
      <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mb: 0.5 }}>
        {label}
      </Typography>
      <Box sx={{ display: 'flex', gap: 0.75, flexWrap: 'wrap' }}>
        {options.map((option) => {
          const selected = values.includes(option);
          const colour = dot?.(option);
          return (
            <Chip
              key={option}
              label={labels[option]}
              size="small"
              clickable={!readOnly}
              disabled={readOnly && !selected}
              aria-pressed={selected}
              data-testid={`${testIdPrefix}-${option}`}
              data-selected={String(selected)}
              icon={
                selected ? (
                  <CheckIcon sx={{ fontSize: 15 }} />
                ) : colour ? (
                  <Box component="span" sx={{ width: 7, height: 7, borderRadius: '50%', bgcolor: colour, ml: '8px !important' }} />
                ) : undefined
              }
              onClick={
                readOnly ? undefined : () => onChange(selected ? values.filter((v) => v !== option) : options.filter((o) => o === option || values.includes(o)))
              }
              sx={{
                fontWeight: 600,
                height: 28,
                px: 0.25,
                border: 1,
                borderColor: selected ? 'primary.main' : 'divider',
                bgcolor: selected ? alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.2 : 0.09) : 'transparent',
                color: selected ? 'primary.main' : 'text.primary',
                '& .MuiChip-icon': { color: 'primary.main' },
                '&.Mui-disabled': { opacity: 0.45 },
              }}
            />
          );
        })}
      </Box>
      <FormHelperText error={!!error} sx={{ mx: 0, mt: 0.5 }}>
        {error ?? (values.length === 0 ? anyText : `Only ${values.map((v) => labels[v]).join(', ')}`)}
      </FormHelperText>
    </Box>
  );
}

function Note({ children }: { children: ReactNode }) {
  return (
    <Alert severity="info" variant="outlined" sx={{ py: 0.25, '& .MuiAlert-message': { fontSize: 13 } }}>
      {children}
    </Alert>
  );
}

export function QueueFormDialog({
  mode,
  queues,
  onClose,
  onSaved,
}: {
  mode: QueueDialogMode | null;
  /** The loaded queues, for code suggestions. */
  queues: readonly CaseQueue[];
  onClose: () => void;
  onSaved: (queue: CaseQueue, created: boolean) => void;
}) {
  const theme = useTheme();
  const [value, setValue] = useState<QueueFormValue>(emptyQueue);
  const [version, setVersion] = useState<number | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<ApiError | null>(null);
  // The service's field messages, dropped one by one as the user edits those fields.
  const [serverFields, setServerFields] = useState<FieldErrors>(NO_ERRORS);
  const [reloading, setReloading] = useState(false);

  useEffect(() => {
    if (!mode) return;
    setValue(mode.kind === 'create' ? emptyQueue() : toFormValue(mode.queue));
    setVersion(mode.kind === 'create' ? null : mode.queue.version);
    setShowErrors(false);
    setBusy(false);
    setServerError(null);
    setServerFields(NO_ERRORS);
    // Only when the dialog opens (or another queue is opened), not on every parent render.
  }, [mode]);

  const readOnly = mode?.kind === 'view';
  const existing = mode && mode.kind !== 'create' ? mode.queue : null;
  const isDefault = existing?.isDefault ?? false;
  const validation = useMemo(() => validateQueue(value), [value]);
  const errors = mergeErrors(serverFields, showErrors ? validation.errors : NO_ERRORS);

  const suggestions = (pick: (q: CaseQueue) => readonly string[], common: readonly string[]) => [...new Set([...common, ...queues.flatMap(pick)])].sort();

  /** Applies an edit and forgets the service's complaint about that field. */
  const edit = (path: string, update: (v: QueueFormValue) => QueueFormValue) => {
    setValue(update);
    if (serverFields.size === 0) return;
    const next = new Map([...serverFields].filter(([key]) => key !== path && !key.startsWith(`${path}.`)));
    setServerFields(next.size ? next : NO_ERRORS);
  };
  const setRouting = <K extends keyof QueueFormValue['routing']>(key: K, next: QueueFormValue['routing'][K]) =>
    edit(`routing.${key}`, (v) => ({ ...v, routing: { ...v.routing, [key]: next } }));

  const save = async () => {
    setShowErrors(true);
    if (!validation.parsed || !mode || busy || readOnly) return;
    setBusy(true);
    setServerError(null);
    setServerFields(NO_ERRORS);
    try {
      const saved =
        mode.kind === 'edit'
          ? await updateQueue(mode.queue.id, { ...validation.parsed, expectedVersion: version ?? mode.queue.version })
          : await createQueue(validation.parsed);
      onSaved(saved, mode.kind === 'create');
      onClose();
    } catch (caught) {
      const error = toApiError(caught);
      setServerError(error);
      setServerFields(serverFieldErrors(error));
      setBusy(false);
    }
  };

  /** After a 409: load the stored queue and start again from it. */
  const reload = async () => {
    if (!existing) return;
    setReloading(true);
    try {
      const fresh = (await fetchQueues()).find((q) => q.id === existing.id);
      if (!fresh) {
        setServerError(toApiError(new Error('This queue has been deleted by someone else.')));
        return;
      }
      setValue(toFormValue(fresh));
      setVersion(fresh.version);
      setServerError(null);
      setServerFields(NO_ERRORS);
    } catch (caught) {
      setServerError(toApiError(caught));
    } finally {
      setReloading(false);
    }
  };

  const conflict = serverError?.status === 409;
  const unplaced = serverError && !conflict && serverFields.size === 0 ? serverError.message : null;
  const clientCount = showErrors ? validation.errors.size : 0;
  const title = mode?.kind === 'create' ? 'New queue' : readOnly ? existing?.name : `Edit queue`;
  const escalation = value.kind === 'ESCALATION';

  return (
    <Dialog open={!!mode} onClose={busy ? undefined : onClose} fullWidth maxWidth="md" data-testid="queue-form" aria-labelledby="queue-form-title">
      <DialogTitle id="queue-form-title" sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Box component="span" sx={{ flex: 1, minWidth: 0 }}>
          {title}
          {existing && !readOnly && (
            <Typography component="span" variant="body2" sx={{ color: 'text.secondary', ml: 1 }}>
              {existing.name} · version {version ?? existing.version}
            </Typography>
          )}
        </Box>
        {isDefault && <DefaultBadge />}
        {readOnly && (
          <Typography variant="caption" sx={{ color: 'text.secondary', display: 'inline-flex', alignItems: 'center', gap: 0.5 }}>
            <LockOutlined sx={{ fontSize: 15 }} /> Read only
          </Typography>
        )}
      </DialogTitle>
      <DialogContent dividers sx={{ pt: 1 }}>
        {conflict && (
          <Alert
            severity="warning"
            sx={{ mb: 1.5 }}
            data-testid="queue-form-conflict"
            action={
              <Button color="inherit" size="small" onClick={reload} disabled={reloading}>
                Reload
              </Button>
            }
          >
            This queue was changed by someone else — reload to see the current version. Your changes here will be replaced.
          </Alert>
        )}
        {unplaced && (
          <Alert severity="error" sx={{ mb: 1.5 }} data-testid="queue-form-error">
            {unplaced}
          </Alert>
        )}
        {clientCount > 0 && !serverError && (
          <Alert severity="error" sx={{ mb: 1.5 }}>
            {clientCount === 1 ? 'One field needs attention.' : `${clientCount} fields need attention.`}
          </Alert>
        )}
        <FormProvider value={{ errors, readOnly }}>
          <SubHeading>Queue</SubHeading>
          <FieldGrid columns={3}>
            <Box sx={{ gridColumn: { md: 'span 2' } }}>
              <TextInput
                path="name"
                label="Name"
                required={!readOnly}
                value={value.name}
                onChange={(t) => edit('name', (v) => ({ ...v, name: t }))}
                testId="queue-form-name"
                maxLength={64}
                placeholder="e.g. SWIFT high value"
              />
            </Box>
            <SelectInput
              path="kind"
              label="Kind"
              value={value.kind}
              options={KIND_OPTIONS}
              onChange={(kind) => edit('kind', (v) => ({ ...v, kind }))}
              testId="queue-form-kind"
              disabled={isDefault}
              helper={isDefault ? 'The default queue stays a standard queue' : undefined}
            />
            <Box sx={{ gridColumn: '1 / -1' }}>
              <TextInput
                path="description"
                label="Description"
                multiline
                minRows={2}
                maxRows={5}
                value={value.description}
                onChange={(t) => edit('description', (v) => ({ ...v, description: t }))}
                testId="queue-form-description"
                maxLength={500}
                placeholder="What the queue is for and who works it"
              />
            </Box>
            <NumberInput
              path="priority"
              label="Priority"
              value={value.priority}
              onChange={(n) => edit('priority', (v) => ({ ...v, priority: n }))}
              min={0}
              max={10_000}
              step={1}
              testId="queue-form-priority"
              helper={escalation ? 'Among escalation queues, the lowest number takes escalations' : 'Routing tries the lowest number first'}
            />
            <Box sx={{ gridColumn: { md: 'span 2' }, pt: 0.5 }}>
              <SwitchInput
                label={value.active ? 'Active' : 'Inactive'}
                checked={value.active}
                onChange={(active) => edit('active', (v) => ({ ...v, active }))}
                testId="queue-form-active"
                disabled={isDefault}
                helper={
                  isDefault
                    ? 'The default queue is always active: it takes every case no other queue takes'
                    : value.active
                      ? 'Routing sends matching new cases here'
                      : 'Kept with its cases, but routing skips it'
                }
              />
              {errors.get('active') && (
                <FormHelperText error sx={{ ml: 0.5 }}>
                  {errors.get('active')}
                </FormHelperText>
              )}
            </Box>
          </FieldGrid>

          <SubHeading>Routing · which new cases this queue takes</SubHeading>
          {escalation ? (
            <Note>Escalation queues take the cases analysts escalate; routing rules are not used for them.</Note>
          ) : isDefault ? (
            <Note>The default queue takes every new case that no other active queue takes, whatever its routing rule.</Note>
          ) : (
            <>
              <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mb: 1.25 }}>
                A new case goes to the first active queue, by priority, whose conditions it all meets. Leave a condition empty to accept anything.
              </Typography>
              <FieldGrid columns={2} sx={{ rowGap: 2 }}>
                <ChoiceChips
                  path="routing.riskLevels"
                  label="Risk levels"
                  options={RISK_LEVELS}
                  labels={RISK_LABELS}
                  values={value.routing.riskLevels}
                  onChange={(next) => setRouting('riskLevels', next)}
                  anyText="None selected: any risk level"
                  testIdPrefix="queue-form-risk"
                  dot={(level) => theme.palette.risk[level]}
                />
                <ChoiceChips
                  path="routing.channels"
                  label="Channels"
                  options={CHANNELS}
                  labels={CHANNEL_LABELS}
                  values={value.routing.channels}
                  onChange={(next) => setRouting('channels', next)}
                  anyText="None selected: any channel"
                  testIdPrefix="queue-form-channel"
                />
                <ChipListInput
                  path="routing.tenants"
                  label="Tenants"
                  values={value.routing.tenants}
                  onChange={(next) => setRouting('tenants', next)}
                  options={suggestions((q) => q.routing.tenants, TENANT_SUGGESTIONS)}
                  validate={(t) => (t.length > 50 ? 'at most 50 characters' : undefined)}
                  mono
                  placeholder={value.routing.tenants.length ? '' : 'Any tenant — type a code and press Enter'}
                  helper="Tenant codes, e.g. WEKEZA-KE"
                  testId="queue-form-tenants"
                />
                <ChipListInput
                  path="routing.paymentTypes"
                  label="Payment types"
                  values={value.routing.paymentTypes}
                  onChange={(next) => setRouting('paymentTypes', next)}
                  options={suggestions((q) => q.routing.paymentTypes, PAYMENT_TYPE_SUGGESTIONS)}
                  validate={(t) => (t.length > 50 ? 'at most 50 characters' : undefined)}
                  mono
                  placeholder={value.routing.paymentTypes.length ? '' : 'Any payment type — type a code and press Enter'}
                  helper="Payment type codes as the payment engine sends them, e.g. SWIFT"
                  testId="queue-form-payment-types"
                />
                <NumberInput
                  path="routing.minAmountKes"
                  label="Minimum amount"
                  kes
                  value={value.routing.minAmountKes}
                  onChange={(n) => setRouting('minAmountKes', n)}
                  onClear={() => setRouting('minAmountKes', null)}
                  min={0}
                  step={1000}
                  testId="queue-form-min-amount"
                  helper={value.routing.minAmountKes === null ? 'Empty: any amount' : 'Cases whose payment is at least this much, in KES'}
                />
              </FieldGrid>
              <Typography variant="caption" component="div" sx={{ mt: 1.25, color: 'text.secondary' }} data-testid="queue-form-routing-summary">
                Takes: <strong>{routingSummary(value.routing)}</strong>
              </Typography>
            </>
          )}

          <SubHeading>SLA · time to decide, per risk level</SubHeading>
          <FieldGrid columns={4}>
            {RISK_LEVELS.map((level) => {
              const minutes = value.sla[level];
              return (
                <NumberInput
                  key={level}
                  path={`sla.${level}`}
                  label={RISK_LABELS[level]}
                  value={minutes}
                  onChange={(n) => edit(`sla.${level}`, (v) => ({ ...v, sla: { ...v.sla, [level]: n } }))}
                  unit="min"
                  min={5}
                  max={43_200}
                  step={5}
                  testId={`queue-sla-${level}`}
                  helper={Number.isFinite(minutes) && minutes > 0 ? `= ${formatSlaMinutes(minutes)}` : '5 min – 30 d'}
                />
              );
            })}
          </FieldGrid>
          <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 0.75 }}>
            In minutes: 60 = 1 h, 1,440 = 1 d. The clock stops while a case waits for information.
          </Typography>
          <SlaEscalationFields
            value={value.slaEscalation}
            onChange={(path, next) => edit(path, (v) => ({ ...v, slaEscalation: next }))}
            queues={queues}
            ownKind={value.kind}
          />
        </FormProvider>
      </DialogContent>
      <DialogActions>
        {readOnly ? (
          <Button onClick={onClose} variant="contained" data-testid="queue-form-close">
            Close
          </Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={busy} color="inherit">
              Cancel
            </Button>
            <Button
              variant="contained"
              onClick={save}
              disabled={busy || conflict || (showErrors && !validation.parsed)}
              data-testid="queue-form-save"
              startIcon={busy ? <CircularProgress size={16} color="inherit" /> : undefined}
            >
              {mode?.kind === 'edit' ? 'Save changes' : 'Create queue'}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
