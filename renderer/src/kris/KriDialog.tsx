// Create or edit a KRI (issue 13 "KRIs"): measured by hand or automatically from a metric of
// GET /api/v1/kri-metrics, a direction, warning and critical thresholds checked against it as
// they are typed (shared thresholdProblem), frequency, owner and linked risks. Every field shows
// its own error — typed input at once, the service's answer per field — and nothing typed throws.
import { useCallback, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { KriCron, KriFrequency, thresholdProblem, type Kri, type KriDirection, type KriMeasurementMode } from '../../../shared/src/kris.ts';
import type { KriMetricKey } from '../../../shared/src/kri-metrics.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { usePeople } from '../risks/OwnerField.tsx';
import { createKri, fetchKriMetrics, fetchRiskChoices, updateKri } from './krisApi.ts';
import { formatKriValue, parseDecimal } from './kriInput.ts';
import { DIRECTION_LABELS, FREQUENCY_LABELS } from './kriThresholds.ts';

interface RiskChoice {
  id: string;
  reference: string;
  title: string;
}
interface OwnerChoice {
  id: string;
  name: string;
}

const FIELDS = [
  'tenantId',
  'name',
  'unit',
  'thresholdWarning',
  'thresholdCritical',
  'metric',
  'schedule',
  'graceHours',
  'ownerId',
  'riskIds',
  'description',
  'dataSource',
] as const;
type Field = (typeof FIELDS)[number];

export function KriDialog({ kri, onClose, onSaved }: { kri?: Kri; onClose: () => void; onSaved: (kri: Kri) => void }) {
  const session = useSession();
  const me = session?.user;
  const [tenantId, setTenantId] = useState(kri?.tenantId ?? me?.tenantIds[0] ?? 'WEKEZA-KE');
  const [name, setName] = useState(kri?.name ?? '');
  const [description, setDescription] = useState(kri?.description ?? '');
  const [unit, setUnit] = useState(kri?.unit ?? '');
  const [mode, setMode] = useState<KriMeasurementMode>(kri?.measurement ?? 'MANUAL');
  const [metric, setMetric] = useState<KriMetricKey | ''>(kri?.metric ?? '');
  const [schedule, setSchedule] = useState(kri?.schedule ?? '');
  const [direction, setDirection] = useState<KriDirection>(kri?.direction ?? 'HIGHER_IS_WORSE');
  const [warningText, setWarningText] = useState(kri ? String(kri.thresholdWarning) : '');
  const [criticalText, setCriticalText] = useState(kri ? String(kri.thresholdCritical) : '');
  const [frequency, setFrequency] = useState<KriFrequency>(kri?.frequency ?? 'DAILY');
  const [graceText, setGraceText] = useState(kri ? String(kri.graceHours) : '');
  const [dataSource, setDataSource] = useState(kri?.dataSource ?? '');
  const [ownerId, setOwnerId] = useState<string>(kri?.ownerId ?? me?.id ?? '');
  const [risks, setRisks] = useState<RiskChoice[]>(kri?.risks.map((r) => ({ id: r.id, reference: r.reference, title: r.title })) ?? []);
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const metricsFetcher = useCallback((signal: AbortSignal) => fetchKriMetrics(signal), []);
  const metrics = useApiQuery('kri-metrics', metricsFetcher);
  const risksFetcher = useCallback((signal: AbortSignal) => fetchRiskChoices({ tenantId }, signal), [tenantId]);
  const riskList = useApiQuery(`kri-dialog-risks:${tenantId}`, risksFetcher);
  const riskOptions: RiskChoice[] = useMemo(
    () => (riskList.data?.items ?? []).map((r) => ({ id: r.id, reference: r.reference, title: r.title })),
    [riskList.data],
  );
  // Owners offered: the people who can own risks of this tenant (risk-owner.list) and the KRI's
  // current owner, who stays choosable even if no longer listed.
  const people = usePeople(kri?.ownerId && kri.ownerName ? [{ id: kri.ownerId, name: kri.ownerName }] : [], tenantId);
  const owners: OwnerChoice[] = useMemo(() => people.map((p) => ({ id: p.id, name: p.id === me?.id ? `${p.name} (me)` : p.name })), [people, me]);

  const chosenMetric = metrics.data?.metrics.find((m) => m.key === metric) ?? null;
  const warning = parseDecimal(warningText, { label: 'the warning threshold' });
  const critical = parseDecimal(criticalText, { label: 'the critical threshold' });
  const graceTrimmed = graceText.trim();
  const grace = graceTrimmed === '' ? null : parseDecimal(graceTrimmed, { allowNegative: false, label: 'hours' });
  const scheduleCheck = schedule.trim() ? KriCron.safeParse(schedule) : null;

  const local: Record<Field, string | null> = {
    tenantId: /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(tenantId.trim()) ? null : 'A tenant code, e.g. WEKEZA-KE',
    name: name.trim().length >= 3 ? null : 'At least 3 characters',
    unit: unit.trim() ? null : 'Name the unit, e.g. “%” or “cases”',
    thresholdWarning: warning.ok ? null : warning.message,
    thresholdCritical: !critical.ok ? critical.message : warning.ok ? thresholdProblem(direction, warning.value, critical.value) : null,
    metric: mode === 'AUTOMATIC' && !metric ? 'Choose what the service measures' : null,
    schedule: scheduleCheck && !scheduleCheck.success ? (scheduleCheck.error.issues[0]?.message ?? 'Not a cron string') : null,
    graceHours: grace === null ? null : !grace.ok ? grace.message : !Number.isInteger(grace.value) || grace.value > 8760 ? 'Whole hours, at most 8760' : null,
    ownerId: null,
    riskIds: null,
    description: null,
    dataSource: null,
  };
  const server = (field: string) => error?.fields.find((f) => f.path === `body.${field}`)?.message ?? null;
  const shown = (field: Field) => (touched[field] ? local[field] : null) ?? server(field);
  const touch = (field: Field) => () => setTouched((t) => ({ ...t, [field]: true }));
  const unmatched = error?.fields.filter((f) => !FIELDS.some((field) => f.path === `body.${field}` || f.path.startsWith(`body.${field}.`)));

  const pickMetric = (key: KriMetricKey | '') => {
    setMetric(key);
    const info = metrics.data?.metrics.find((m) => m.key === key);
    if (!info) return;
    // The metric knows its unit and which way is bad; the user may still change them.
    setUnit(info.unit);
    setDirection(info.direction);
    if (!name.trim()) setName(info.label);
    if (!dataSource.trim()) setDataSource('Computed by the service');
  };

  const save = async () => {
    setTouched(Object.fromEntries(FIELDS.map((f) => [f, true])));
    if (Object.values(local).some((v) => v !== null) || !warning.ok || !critical.ok) return;
    setSaving(true);
    setError(null);
    const fields = {
      name: name.trim(),
      description: description.trim(),
      unit: unit.trim(),
      direction,
      thresholdWarning: warning.value,
      thresholdCritical: critical.value,
      frequency,
      ...(grace?.ok ? { graceHours: grace.value } : {}),
      dataSource: dataSource.trim(),
      ...(ownerId ? { ownerId } : {}),
      measurement: mode,
      metric: mode === 'AUTOMATIC' && metric ? metric : null,
      schedule: mode === 'AUTOMATIC' && schedule.trim() ? schedule.trim() : null,
      riskIds: risks.map((r) => r.id),
    };
    try {
      const saved = kri ? await updateKri(kri.id, { ...fields, expectedVersion: kri.version }) : await createKri({ ...fields, tenantId: tenantId.trim() });
      onSaved(saved);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };

  const directionHelp =
    direction === 'HIGHER_IS_WORSE'
      ? 'Above the warning threshold is a warning, above the critical one is critical.'
      : 'Below the warning threshold is a warning, below the critical one is critical.';

  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="md" fullWidth data-testid="kri-dialog">
      <DialogTitle>{kri ? `Edit ${kri.reference}` : 'New KRI'}</DialogTitle>
      <DialogContent sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2, pt: '8px !important' }}>
        <TextField
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          onBlur={touch('name')}
          error={!!shown('name')}
          helperText={shown('name') ?? ' '}
          slotProps={{ htmlInput: { maxLength: 200, 'data-testid': 'kri-name' } }}
          sx={{ gridColumn: { md: 'span 2' } }}
        />
        <Box sx={{ gridColumn: { md: 'span 2' } }}>
          <Typography variant="body2" sx={{ fontWeight: 600, mb: 0.5 }}>
            Measured
          </Typography>
          <ToggleButtonGroup
            size="small"
            exclusive
            value={mode}
            onChange={(_, v: KriMeasurementMode | null) => v && setMode(v)}
            aria-label="How the KRI is measured"
          >
            <ToggleButton value="MANUAL" data-testid="kri-mode-manual">
              By hand
            </ToggleButton>
            <ToggleButton value="AUTOMATIC" data-testid="kri-mode-automatic">
              Automatically
            </ToggleButton>
          </ToggleButtonGroup>
        </Box>
        {mode === 'AUTOMATIC' && (
          <>
            <TextField
              select
              label="Metric"
              required
              value={metric}
              onChange={(e) => pickMetric(e.target.value as KriMetricKey)}
              onBlur={touch('metric')}
              error={!!shown('metric')}
              helperText={shown('metric') ?? chosenMetric?.description ?? (metrics.error ? `Could not load the metrics — ${metrics.error.message}` : ' ')}
              slotProps={{ htmlInput: { 'data-testid': 'kri-metric' } }}
            >
              {(metrics.data?.metrics ?? []).map((m) => (
                <MenuItem key={m.key} value={m.key}>
                  {m.label}
                  <Typography component="span" variant="caption" sx={{ color: 'text.secondary', ml: 1 }}>
                    {m.unit} · {m.group}
                  </Typography>
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label="Schedule (cron, optional)"
              value={schedule}
              placeholder={chosenMetric?.defaultSchedule ?? '0 0 * * *'}
              onChange={(e) => setSchedule(e.target.value)}
              onBlur={touch('schedule')}
              error={!!shown('schedule')}
              helperText={
                shown('schedule') ??
                `Empty: the ${chosenMetric?.group ?? 'metric group'} schedule ${chosenMetric ? `(${chosenMetric.defaultSchedule}, EAT)` : ''}`
              }
              slotProps={{ htmlInput: { maxLength: 100, 'data-testid': 'kri-schedule', spellCheck: false } }}
            />
          </>
        )}
        <Box sx={{ gridColumn: { md: 'span 2' } }}>
          <Typography variant="body2" sx={{ fontWeight: 600, mb: 0.5 }}>
            Direction
          </Typography>
          <ToggleButtonGroup size="small" exclusive value={direction} onChange={(_, v: KriDirection | null) => v && setDirection(v)} aria-label="Direction">
            {(['HIGHER_IS_WORSE', 'HIGHER_IS_BETTER'] as const).map((d) => (
              <ToggleButton key={d} value={d} data-testid={`kri-direction-${d}`}>
                {DIRECTION_LABELS[d]}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
          <Typography variant="caption" sx={{ display: 'block', color: 'text.secondary', mt: 0.5 }}>
            {directionHelp}
          </Typography>
        </Box>
        <TextField
          label={`Warning threshold${unit.trim() ? ` (${unit.trim()})` : ''}`}
          required
          value={warningText}
          onChange={(e) => setWarningText(e.target.value)}
          onBlur={touch('thresholdWarning')}
          error={!!shown('thresholdWarning')}
          helperText={shown('thresholdWarning') ?? (warning.ok ? `Read as ${formatKriValue(warning.value)}` : ' ')}
          slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'kri-warning' } }}
        />
        <TextField
          label={`Critical threshold${unit.trim() ? ` (${unit.trim()})` : ''}`}
          required
          value={criticalText}
          onChange={(e) => setCriticalText(e.target.value)}
          onBlur={touch('thresholdCritical')}
          error={!!shown('thresholdCritical')}
          helperText={shown('thresholdCritical') ?? (critical.ok ? `Read as ${formatKriValue(critical.value)}` : ' ')}
          slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'kri-critical' } }}
        />
        <TextField
          label="Unit"
          required
          value={unit}
          onChange={(e) => setUnit(e.target.value)}
          onBlur={touch('unit')}
          error={!!shown('unit')}
          helperText={shown('unit') ?? 'e.g. %, cases, KES'}
          slotProps={{ htmlInput: { maxLength: 40, 'data-testid': 'kri-unit' } }}
        />
        <TextField
          select
          label="Frequency"
          value={frequency}
          onChange={(e) => setFrequency(e.target.value as KriFrequency)}
          helperText="How often it should be measured"
          slotProps={{ htmlInput: { 'data-testid': 'kri-frequency' } }}
        >
          {KriFrequency.options.map((f) => (
            <MenuItem key={f} value={f}>
              {FREQUENCY_LABELS[f]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Grace period (hours, optional)"
          value={graceText}
          onChange={(e) => setGraceText(e.target.value)}
          onBlur={touch('graceHours')}
          error={!!shown('graceHours')}
          helperText={shown('graceHours') ?? 'Past the frequency before it counts as stale; empty = the default'}
          slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'kri-grace' } }}
        />
        <TextField
          label="Data source"
          value={dataSource}
          onChange={(e) => setDataSource(e.target.value)}
          helperText={server('dataSource') ?? 'Where the number comes from'}
          error={!!server('dataSource')}
          slotProps={{ htmlInput: { maxLength: 200, 'data-testid': 'kri-data-source' } }}
        />
        {!kri && (
          <TextField
            label="Tenant"
            required
            value={tenantId}
            onChange={(e) => setTenantId(e.target.value)}
            onBlur={touch('tenantId')}
            error={!!shown('tenantId')}
            helperText={shown('tenantId') ?? 'The KRI and its linked risks belong to this tenant'}
            slotProps={{ htmlInput: { maxLength: 50, 'data-testid': 'kri-tenant' } }}
          />
        )}
        <TextField
          select
          label="Owner"
          value={owners.some((o) => o.id === ownerId) ? ownerId : ''}
          onChange={(e) => setOwnerId(e.target.value)}
          error={!!server('ownerId')}
          helperText={server('ownerId') ?? 'Notified when the KRI breaches'}
          slotProps={{ htmlInput: { 'data-testid': 'kri-owner' } }}
        >
          {owners.map((o) => (
            <MenuItem key={o.id} value={o.id}>
              {o.name}
            </MenuItem>
          ))}
        </TextField>
        <Autocomplete
          multiple
          options={riskOptions}
          value={risks}
          loading={riskList.loading}
          onChange={(_, value) => setRisks(value)}
          isOptionEqualToValue={(a, b) => a.id === b.id}
          getOptionLabel={(r) => `${r.reference} ${r.title}`}
          renderInput={(params) => (
            <TextField
              {...params}
              label="Linked risks"
              error={!!server('riskIds')}
              helperText={server('riskIds') ?? 'Their owners are notified too'}
              slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'kri-risks' } }}
            />
          )}
          sx={{ gridColumn: { md: 'span 2' } }}
        />
        <TextField
          label="Description"
          multiline
          minRows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={!!server('description')}
          helperText={server('description') ?? ' '}
          slotProps={{ htmlInput: { maxLength: 2000, 'data-testid': 'kri-description' } }}
          sx={{ gridColumn: { md: 'span 2' } }}
        />
        {error && (unmatched?.length || error.fields.length === 0) ? (
          <Alert severity="error" data-testid="kri-dialog-error" sx={{ gridColumn: { md: 'span 2' } }}>
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
          data-testid="kri-save"
          startIcon={saving ? <CircularProgress size={16} /> : null}
        >
          {kri ? 'Save changes' : 'Create KRI'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
