import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { RiskLevel } from '../../../shared/src/assessments.ts';
import { CaseState } from '../../../shared/src/cases.ts';
import { CASE_STATE_LABELS } from '../ui/chips.tsx';
import { FilterSelect, type FilterOption } from '../ui/FilterSelect.tsx';
import { SearchField } from '../ui/SearchField.tsx';
import type { AssigneeFilter, CaseQueueParams, CaseStateFilter } from './useCaseQueueParams.ts';

const STATE_OPTIONS: FilterOption<CaseStateFilter>[] = [
  { value: 'OPEN', label: 'All open' },
  ...CaseState.options.map((state) => ({ value: state, label: CASE_STATE_LABELS[state] })),
];
const RISK_OPTIONS: FilterOption<RiskLevel>[] = [...RiskLevel.options].reverse().map((level) => ({
  value: level,
  label: level.charAt(0) + level.slice(1).toLowerCase(),
}));

export function CaseQueueToolbar({
  params,
  onChange,
  filtered,
  canWork,
}: {
  params: CaseQueueParams;
  onChange: (patch: Partial<CaseQueueParams>) => void;
  filtered: boolean;
  canWork: boolean;
}) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, flexWrap: 'wrap', mb: 1.5 }} data-testid="case-queue-toolbar">
      <SearchField
        value={params.search}
        onChange={(search) => onChange({ search })}
        placeholder="Search reference, customer or CIF"
        testId="case-search"
      />
      <FilterSelect
        label="State"
        value={params.state}
        options={STATE_OPTIONS}
        onChange={(state) => onChange({ state: state || 'OPEN' })}
        minWidth={150}
        testId="case-state-filter"
      />
      <FilterSelect
        label="Risk"
        value={params.riskLevel ?? ''}
        options={RISK_OPTIONS}
        onChange={(riskLevel) => onChange({ riskLevel: riskLevel || null })}
        anyLabel="All levels"
        minWidth={130}
        testId="case-risk-filter"
      />
      <ToggleButtonGroup
        exclusive
        size="small"
        value={params.assignee}
        onChange={(_, value: AssigneeFilter | null) => value && onChange({ assignee: value })}
        aria-label="Whose cases"
      >
        <ToggleButton value="everyone" data-testid="assignee-everyone">
          Everyone
        </ToggleButton>
        {canWork && (
          <ToggleButton value="me" data-testid="assignee-me">
            Assigned to me
          </ToggleButton>
        )}
        <ToggleButton value="unassigned" data-testid="assignee-unassigned">
          Unassigned
        </ToggleButton>
      </ToggleButtonGroup>
      {filtered && (
        <Button size="small" onClick={() => onChange({ state: 'OPEN', riskLevel: null, assignee: 'everyone', search: '' })}>
          Clear filters
        </Button>
      )}
    </Box>
  );
}
