// Record a risk event by hand (issue 13: incidents, losses, near misses) or edit an open one:
// type, severity, when it happened, the linked risk and KRI, and the financial impact with its
// currency. Amounts are read as people paste them ("1 200 000", "12,500.50"); nothing typed throws.
import { useCallback, useMemo, useState } from 'react';
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
import { PAYMENT_CURRENCIES } from '../../../shared/src/currencies.ts';
import type { RiskEvent, RiskEventSeverity, RiskEventType } from '../../../shared/src/risk-events.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { EatDateTimeField, INCOMPLETE, incompleteMessage } from '../ui/EatDateTimeField.tsx';
import { EVENT_TYPE_LABELS, SEVERITY_LABELS } from '../kris/kriChips.tsx';
import { parseDecimal } from '../kris/kriInput.ts';
import { fetchKris, fetchRiskChoices } from '../kris/krisApi.ts';
import { createRiskEvent, updateRiskEvent } from './riskEventsApi.ts';

/** People record these three; KRI breaches, compliance and credit events come from machines. */
const MANUAL_TYPES: RiskEventType[] = ['INCIDENT', 'LOSS', 'NEAR_MISS'];
const SEVERITIES: RiskEventSeverity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const FIELDS = ['tenantId', 'type', 'severity', 'title', 'occurredAt', 'riskId', 'kriId', 'financialImpact', 'currency', 'description'] as const;
type Field = (typeof FIELDS)[number];

interface Choice {
  id: string;
  label: string;
}

export function RiskEventDialog({
  event,
  preset,
  onClose,
  onSaved,
}: {
  event?: RiskEvent;
  preset?: { riskId?: string; kriId?: string; tenantId?: string };
  onClose: () => void;
  onSaved: (event: RiskEvent) => void;
}) {
  const me = useSession()?.user;
  const [tenantId, setTenantId] = useState(event?.tenantId ?? preset?.tenantId ?? me?.tenantIds[0] ?? 'WEKEZA-KE');
  const [type, setType] = useState<RiskEventType>(event?.type ?? 'INCIDENT');
  const [severity, setSeverity] = useState<RiskEventSeverity>(event?.severity ?? 'MEDIUM');
  const [title, setTitle] = useState(event?.title ?? '');
  const [description, setDescription] = useState(event?.description ?? '');
  const [occurredAt, setOccurredAt] = useState<string | null>(event?.occurredAt ?? null);
  const [riskId, setRiskId] = useState<string | null>(event?.riskId ?? preset?.riskId ?? null);
  const [kriId, setKriId] = useState<string | null>(event?.kriId ?? preset?.kriId ?? null);
  const [amountText, setAmountText] = useState(event?.financialImpact != null ? String(event.financialImpact) : '');
  const [currency, setCurrency] = useState<string>(event?.currency ?? 'KES');
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const risksQuery = useApiQuery(
    `event-dialog-risks:${tenantId}`,
    useCallback((signal: AbortSignal) => fetchRiskChoices({ tenantId }, signal), [tenantId]),
  );
  const krisQuery = useApiQuery(
    `event-dialog-kris:${tenantId}`,
    useCallback((signal: AbortSignal) => fetchKris({ tenantId }, signal), [tenantId]),
  );
  const riskChoices: Choice[] = useMemo(() => (risksQuery.data?.items ?? []).map((r) => ({ id: r.id, label: `${r.reference} ${r.title}` })), [risksQuery.data]);
  const kriChoices: Choice[] = useMemo(() => (krisQuery.data?.kris ?? []).map((k) => ({ id: k.id, label: `${k.reference} ${k.name}` })), [krisQuery.data]);

  const amountTrimmed = amountText.trim();
  const amount = amountTrimmed === '' ? null : parseDecimal(amountTrimmed, { allowNegative: false, label: 'an amount' });
  const future = occurredAt && occurredAt !== INCOMPLETE && Date.parse(occurredAt) > Date.now() + 60_000;
  const local: Record<Field, string | null> = {
    tenantId: /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(tenantId.trim()) ? null : 'A tenant code, e.g. WEKEZA-KE',
    type: null,
    severity: null,
    title: title.trim().length >= 3 ? null : 'At least 3 characters',
    occurredAt: occurredAt === INCOMPLETE ? incompleteMessage() : !occurredAt ? 'When did it happen?' : future ? 'Not in the future' : null,
    riskId: null,
    kriId: null,
    financialImpact: amount && !amount.ok ? amount.message : type === 'LOSS' && amount === null ? 'A loss needs its amount' : null,
    currency: amount?.ok && !currency ? 'Name the currency' : null,
    description: null,
  };
  const server = (field: string) => error?.fields.find((f) => f.path === `body.${field}`)?.message ?? null;
  const shown = (field: Field) => (touched[field] ? local[field] : null) ?? server(field);
  const touch = (field: Field) => () => setTouched((t) => ({ ...t, [field]: true }));
  const unmatched = error?.fields.filter((f) => !FIELDS.some((field) => f.path === `body.${field}`));

  const save = async () => {
    setTouched(Object.fromEntries(FIELDS.map((f) => [f, true])));
    if (Object.values(local).some((v) => v !== null) || !occurredAt || occurredAt === INCOMPLETE) return;
    setSaving(true);
    setError(null);
    const fields = {
      type,
      severity,
      title: title.trim(),
      description: description.trim(),
      occurredAt,
      riskId,
      financialImpact: amount?.ok ? amount.value : null,
      currency: amount?.ok ? currency : null,
    };
    try {
      const saved = event
        ? await updateRiskEvent(event.id, { ...fields, expectedVersion: event.version })
        : await createRiskEvent({ ...fields, kriId, tenantId: tenantId.trim() });
      onSaved(saved);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };

  const types = event && !MANUAL_TYPES.includes(event.type) ? [...MANUAL_TYPES, event.type] : MANUAL_TYPES;
  const severities = event && !SEVERITIES.includes(event.severity) ? [...SEVERITIES, event.severity] : SEVERITIES;

  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="md" fullWidth data-testid="risk-event-dialog">
      <DialogTitle>{event ? `Edit ${event.reference}` : 'Record a risk event'}</DialogTitle>
      <DialogContent sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2, pt: '8px !important' }}>
        <TextField
          select
          label="Type"
          value={type}
          onChange={(e) => setType(e.target.value as RiskEventType)}
          slotProps={{ htmlInput: { 'data-testid': 'event-type' } }}
        >
          {types.map((t) => (
            <MenuItem key={t} value={t}>
              {EVENT_TYPE_LABELS[t]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Severity"
          value={severity}
          onChange={(e) => setSeverity(e.target.value as RiskEventSeverity)}
          slotProps={{ htmlInput: { 'data-testid': 'event-severity' } }}
        >
          {severities.map((s) => (
            <MenuItem key={s} value={s}>
              {SEVERITY_LABELS[s]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Title"
          required
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          onBlur={touch('title')}
          error={!!shown('title')}
          helperText={shown('title') ?? ' '}
          slotProps={{ htmlInput: { maxLength: 300, 'data-testid': 'event-title' } }}
          sx={{ gridColumn: { md: 'span 2' } }}
        />
        <EatDateTimeField
          label="Occurred at (EAT)"
          value={occurredAt}
          onChange={(v) => {
            setOccurredAt(v);
            setTouched((t) => ({ ...t, occurredAt: true }));
          }}
          testId="event-occurred-at"
          error={shown('occurredAt') ?? undefined}
          helper=" "
        />
        {event ? (
          <TextField label="Tenant" value={tenantId} disabled helperText=" " />
        ) : (
          <TextField
            label="Tenant"
            required
            value={tenantId}
            onChange={(e) => setTenantId(e.target.value)}
            onBlur={touch('tenantId')}
            error={!!shown('tenantId')}
            helperText={shown('tenantId') ?? 'The linked risk and KRI must belong to it'}
            slotProps={{ htmlInput: { maxLength: 50, 'data-testid': 'event-tenant' } }}
          />
        )}
        <Autocomplete
          options={riskChoices}
          value={riskChoices.find((c) => c.id === riskId) ?? null}
          loading={risksQuery.loading}
          onChange={(_, v) => setRiskId(v?.id ?? null)}
          isOptionEqualToValue={(a, b) => a.id === b.id}
          renderInput={(params) => (
            <TextField
              {...params}
              label="Linked risk"
              error={!!server('riskId')}
              helperText={server('riskId') ?? ' '}
              slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'event-risk' } }}
            />
          )}
        />
        <Autocomplete
          options={kriChoices}
          value={kriChoices.find((c) => c.id === kriId) ?? null}
          loading={krisQuery.loading}
          disabled={!!event}
          onChange={(_, v) => setKriId(v?.id ?? null)}
          isOptionEqualToValue={(a, b) => a.id === b.id}
          renderInput={(params) => (
            <TextField
              {...params}
              label="Linked KRI"
              error={!!server('kriId')}
              helperText={server('kriId') ?? (event ? 'Set when recorded' : ' ')}
              slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'event-kri' } }}
            />
          )}
        />
        <TextField
          label="Financial impact"
          value={amountText}
          onChange={(e) => setAmountText(e.target.value)}
          onBlur={touch('financialImpact')}
          error={!!shown('financialImpact')}
          helperText={
            shown('financialImpact') ??
            (amount?.ok ? `Read as ${new Intl.NumberFormat('en-KE', { maximumFractionDigits: 4 }).format(amount.value)}` : 'Empty when none; e.g. 1 200 000')
          }
          slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'event-amount' } }}
        />
        <Autocomplete
          options={PAYMENT_CURRENCIES.map((c) => c.code)}
          value={currency || null}
          onChange={(_, v) => setCurrency(v ?? '')}
          renderInput={(params) => (
            <TextField
              {...params}
              label="Currency"
              error={!!shown('currency')}
              helperText={shown('currency') ?? ' '}
              slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'event-currency' } }}
            />
          )}
        />
        <TextField
          label="Description"
          multiline
          minRows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={!!server('description')}
          helperText={server('description') ?? 'What happened, what it affected, what was done'}
          slotProps={{ htmlInput: { maxLength: 4000, 'data-testid': 'event-description' } }}
          sx={{ gridColumn: { md: 'span 2' } }}
        />
        {error && (unmatched?.length || error.fields.length === 0) ? (
          <Alert severity="error" data-testid="risk-event-error" sx={{ gridColumn: { md: 'span 2' } }}>
            {unmatched?.length ? unmatched.map((f) => `${f.path}: ${f.message}`).join('; ') : error.message}
          </Alert>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button
          variant="contained"
          onClick={() => void save()}
          disabled={saving}
          data-testid="risk-event-save"
          startIcon={saving ? <CircularProgress size={16} /> : null}
        >
          {event ? 'Save changes' : 'Record event'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
