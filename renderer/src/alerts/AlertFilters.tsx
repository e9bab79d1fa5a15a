// The inbox's filter bar: words, state, pattern, tenant, assignee and a detection date range in
// bank days. A half-typed day stays in its box with a field error and is not sent; a drill-down
// link's exact instant shows as a removable chip. Nothing typed or pasted here breaks the screen.
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { AlertPattern, PATTERN_FAMILY } from '../../../shared/src/alerts.ts';
import type { Assignee } from '../../../shared/src/contract/cases.ts';
import { cleanSearch } from '../consents/consentParams.ts';
import { formatEat } from '../lib/format.ts';
import { ClearFiltersButton, DayRangeField, useDayRange } from '../ui/DayRangeFields.tsx';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { SearchField } from '../ui/SearchField.tsx';
import { type AlertParams, isDay, STATUS_FILTERS, type StatusFilter } from './alertParams.ts';
import { PATTERN_LABELS, STATUS_LABELS } from './alertWords.tsx';

const STATUS_FILTER_LABELS: Record<StatusFilter, string> = {
  UNRESOLVED: 'Unresolved',
  OPEN: STATUS_LABELS.OPEN,
  ACKNOWLEDGED: STATUS_LABELS.ACKNOWLEDGED,
  RESOLVED: STATUS_LABELS.RESOLVED,
  ALL: 'Any state',
};

export type AlertFilterName = 'q' | 'status' | 'pattern' | 'tenantId' | 'assignee' | 'from' | 'to';

export function AlertFilters({
  params,
  tenants,
  assignees,
  onChange,
  onClear,
}: {
  params: AlertParams;
  tenants: readonly string[];
  assignees: readonly Assignee[];
  onChange: (name: AlertFilterName, value: string | null) => void;
  onClear: () => void;
}) {
  const range = useDayRange(isDay(params.from) ? params.from : null, isDay(params.to) ? params.to : null);
  const filtered =
    !!(params.q || params.pattern || params.tenantId || params.assignee || params.from || params.to || params.severity) ||
    params.status !== 'UNRESOLVED' ||
    range.incomplete;
  const tenantOptions = [...new Set([...tenants, ...(params.tenantId ? [params.tenantId] : [])])].map((t) => ({ value: t, label: t }));
  const assigneeOptions = [
    { value: 'me', label: 'Me' },
    { value: 'none', label: 'Unassigned' },
    ...assignees.map((a) => ({ value: a.id, label: a.displayName })),
  ];
  if (params.assignee && !assigneeOptions.some((o) => o.value === params.assignee)) assigneeOptions.push({ value: params.assignee, label: 'This person' });

  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap', mb: 1 }} data-testid="alert-filters">
      <SearchField
        value={params.q}
        onChange={(v) => onChange('q', cleanSearch(v) || null)}
        placeholder="Reference, entity or words"
        width={150}
        testId="alert-filter-q"
      />
      <FilterSelect
        label="State"
        value={params.status}
        options={STATUS_FILTERS.map((s) => ({ value: s, label: STATUS_FILTER_LABELS[s] }))}
        onChange={(v) => onChange('status', v && v !== 'UNRESOLVED' ? v : null)}
        minWidth={124}
        testId="alert-filter-status"
      />
      <FilterSelect
        label="Pattern"
        value={params.pattern ?? ''}
        anyLabel="Any pattern"
        options={AlertPattern.options.map((p) => ({ value: p, label: PATTERN_LABELS[p] }))}
        onChange={(v) => onChange('pattern', v || null)}
        minWidth={160}
        testId="alert-filter-pattern"
      />
      <FilterSelect
        label="Tenant"
        value={params.tenantId ?? ''}
        anyLabel="Any tenant"
        options={tenantOptions}
        onChange={(v) => onChange('tenantId', v || null)}
        minWidth={118}
        testId="alert-filter-tenant"
      />
      <FilterSelect
        label="Assignee"
        value={params.assignee ?? ''}
        anyLabel="Anyone"
        options={assigneeOptions}
        onChange={(v) => onChange('assignee', v || null)}
        minWidth={128}
        testId="alert-filter-assignee"
      />
      {params.from && !isDay(params.from) ? (
        <Chip
          label={`Detected from ${formatEat(params.from)}`}
          onDelete={() => onChange('from', null)}
          sx={{ mt: 0.5 }}
          data-testid="alert-filter-from-instant"
        />
      ) : (
        <DayRangeField range={range} end="from" label="Detected from" width={184} onChange={(v) => onChange('from', v)} testId="alert-filter-from" />
      )}
      {params.to && !isDay(params.to) ? (
        <Chip label={`Detected before ${formatEat(params.to)}`} onDelete={() => onChange('to', null)} sx={{ mt: 0.5 }} data-testid="alert-filter-to-instant" />
      ) : (
        <DayRangeField range={range} end="to" label="Detected to" width={184} onChange={(v) => onChange('to', v)} testId="alert-filter-to" />
      )}
      {filtered && <ClearFiltersButton range={range} onClear={onClear} testId="alert-filters-clear" />}
    </Box>
  );
}

/** Patterns grouped as seed 003 lists them (for the rule editor's picker). */
export function patternsByFamily(): Array<{ family: string; patterns: AlertPattern[] }> {
  const groups = new Map<string, AlertPattern[]>();
  for (const p of AlertPattern.options) groups.set(PATTERN_FAMILY[p], [...(groups.get(PATTERN_FAMILY[p]) ?? []), p]);
  return [...groups].map(([family, patterns]) => ({ family, patterns }));
}
