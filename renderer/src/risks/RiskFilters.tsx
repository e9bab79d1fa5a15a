// The register's filter bar: tenant, category, status, owner, level, overdue reviews and text.
// Every choice lands in the URL (useRiskRegisterParams).
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import { RiskStatus } from '../../../shared/src/risk-register.ts';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { SearchField } from '../ui/SearchField.tsx';
import type { MatrixDefinitionView } from './matrix.ts';
import type { Person } from './OwnerField.tsx';
import { CATEGORY_LABELS, oneLine, options, STATUS_LABELS } from './riskText.ts';
import type { RiskRegisterParams, RiskStatusFilter } from './useRiskRegisterParams.ts';

const STATUS_OPTIONS: { value: RiskStatusFilter; label: string }[] = [
  { value: 'OPEN', label: 'Open (not closed)' },
  { value: 'ALL', label: 'All, closed too' },
  ...RiskStatus.options.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
];

export function RiskFilters({
  params,
  onChange,
  filtered,
  onClear,
  tenants,
  owners,
  matrix,
}: {
  params: RiskRegisterParams;
  onChange: (patch: Partial<RiskRegisterParams>) => void;
  filtered: boolean;
  onClear: () => void;
  tenants: readonly string[];
  owners: readonly Person[];
  matrix: MatrixDefinitionView | null;
}) {
  const levelOptions = (matrix?.levels ?? []).map((l) => ({ value: l.key, label: l.name }));
  // A level or owner from the URL that is not (yet) among the choices is still shown by its value.
  if (params.level && !levelOptions.some((o) => o.value === params.level)) levelOptions.push({ value: params.level, label: params.level });
  const ownerOptions = owners.map((p) => ({ value: p.id, label: p.name }));
  if (params.ownerId && !ownerOptions.some((o) => o.value === params.ownerId)) ownerOptions.push({ value: params.ownerId, label: 'Chosen owner' });
  const tenantOptions = tenants.map((t) => ({ value: t, label: t }));
  if (params.tenantId && !tenants.includes(params.tenantId)) tenantOptions.push({ value: params.tenantId, label: params.tenantId });
  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap', mb: 1.5 }} data-testid="risk-filters">
      <SearchField
        value={params.search}
        onChange={(search) => onChange({ search: oneLine(search).slice(0, 100) })}
        placeholder="Search reference, title, description"
        width={260}
        testId="risk-search"
      />
      {tenantOptions.length > 1 && (
        <FilterSelect
          label="Tenant"
          value={params.tenantId ?? ''}
          options={tenantOptions}
          anyLabel="All tenants"
          onChange={(v) => onChange({ tenantId: v || null })}
          minWidth={130}
          testId="risk-filter-tenant"
        />
      )}
      <FilterSelect
        label="Category"
        value={params.category ?? ''}
        options={options(CATEGORY_LABELS)}
        anyLabel="All categories"
        onChange={(v) => onChange({ category: v || null })}
        minWidth={140}
        testId="risk-filter-category"
      />
      <FilterSelect
        label="Status"
        value={params.status}
        options={STATUS_OPTIONS}
        onChange={(v) => onChange({ status: v || 'OPEN' })}
        minWidth={150}
        testId="risk-filter-status"
      />
      <FilterSelect
        label="Owner"
        value={params.ownerId ?? ''}
        options={ownerOptions}
        anyLabel="Anyone"
        onChange={(v) => onChange({ ownerId: v || null })}
        minWidth={130}
        testId="risk-filter-owner"
      />
      <FilterSelect
        label={`Level (${params.basis})`}
        value={params.level ?? ''}
        options={levelOptions}
        anyLabel="Any level"
        onChange={(v) => onChange({ level: v || null })}
        minWidth={130}
        testId="risk-filter-level"
      />
      <FormControlLabel
        control={
          <Switch
            size="small"
            checked={params.reviewOverdue}
            onChange={(e) => onChange({ reviewOverdue: e.target.checked })}
            data-testid="risk-filter-overdue"
          />
        }
        label="Review overdue"
        sx={{ ml: 0.25, '& .MuiFormControlLabel-label': { fontSize: 13 } }}
      />
      {filtered && (
        <Button size="small" onClick={onClear} data-testid="risk-filters-clear">
          Clear filters
        </Button>
      )}
    </Box>
  );
}
