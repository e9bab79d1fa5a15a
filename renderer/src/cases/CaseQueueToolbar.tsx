import { useEffect, useState } from 'react';
import Badge from '@mui/material/Badge';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import InputAdornment from '@mui/material/InputAdornment';
import Popover from '@mui/material/Popover';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import FilterListRounded from '@mui/icons-material/FilterListRounded';
import { RiskLevel } from '../../../shared/src/assessments.ts';
import { CaseState, SlaFilter } from '../../../shared/src/cases.ts';
import { Channel } from '../../../shared/src/payments.ts';
import { formatMoney } from '../lib/format.ts';
import { CASE_STATE_LABELS } from '../ui/chips.tsx';
import { FilterSelect, type FilterOption } from '../ui/FilterSelect.tsx';
import { SearchField } from '../ui/SearchField.tsx';
import type { Assignee } from './casesApi.ts';
import { NO_FILTERS, type AssigneeFilter, type CaseQueueParams, type CaseStateFilter } from './useCaseQueueParams.ts';

const STATE_OPTIONS: FilterOption<CaseStateFilter>[] = [
  { value: 'OPEN', label: 'All open' },
  ...CaseState.options.map((state) => ({ value: state, label: CASE_STATE_LABELS[state] })),
  { value: 'ALL', label: 'Open and closed' },
];
const RISK_OPTIONS: FilterOption<RiskLevel>[] = [...RiskLevel.options].reverse().map((level) => ({
  value: level,
  label: level.charAt(0) + level.slice(1).toLowerCase(),
}));
const SLA_LABELS: Record<SlaFilter, string> = { overdue: 'Overdue', 'due-soon': 'Due soon', 'on-track': 'On track', paused: 'Paused' };
const SLA_OPTIONS: FilterOption<SlaFilter>[] = SlaFilter.options.map((value) => ({ value, label: SLA_LABELS[value] }));
const CHANNEL_OPTIONS: FilterOption<Channel>[] = Channel.options.map((value) => ({ value, label: value }));

/** Tag and minimum amount: used less often, so they sit behind "More". */
function MoreFilters({ params, onChange }: { params: CaseQueueParams; onChange: (patch: Partial<CaseQueueParams>) => void }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [tag, setTag] = useState(params.tag);
  const [minAmount, setMinAmount] = useState(params.minAmountKes ? String(params.minAmountKes) : '');
  useEffect(() => setTag(params.tag), [params.tag]);
  useEffect(() => setMinAmount(params.minAmountKes ? String(params.minAmountKes) : ''), [params.minAmountKes]);

  const apply = () => {
    const amount = Number(minAmount.replace(/[,\s]/g, ''));
    onChange({ tag: tag.trim().slice(0, 40), minAmountKes: Number.isFinite(amount) && amount > 0 ? amount : null });
    setAnchor(null);
  };
  const active = (params.tag ? 1 : 0) + (params.minAmountKes ? 1 : 0);

  return (
    <>
      <Badge badgeContent={active} color="primary" overlap="rectangular" sx={{ '& .MuiBadge-badge': { fontSize: 10.5, height: 17, minWidth: 17 } }}>
        <Button
          size="small"
          color="inherit"
          startIcon={<FilterListRounded fontSize="small" />}
          onClick={(e) => setAnchor(e.currentTarget)}
          data-testid="more-filters"
          sx={{ color: 'text.secondary' }}
        >
          More
        </Button>
      </Badge>
      <Popover
        open={!!anchor}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}
        slotProps={{ paper: { sx: { p: 2, width: 280 } } }}
      >
        <Box
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            apply();
          }}
          sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}
        >
          <Typography variant="subtitle2">More filters</Typography>
          <TextField
            size="small"
            label="Tag"
            value={tag}
            onChange={(e) => setTag(e.target.value)}
            placeholder="e.g. sim-swap"
            slotProps={{ htmlInput: { 'data-testid': 'filter-tag', maxLength: 40 } as Record<string, unknown> }}
          />
          <TextField
            size="small"
            label="Minimum amount"
            value={minAmount}
            onChange={(e) => setMinAmount(e.target.value.replace(/[^\d.,]/g, ''))}
            slotProps={{
              htmlInput: { 'data-testid': 'filter-min-amount', inputMode: 'decimal' } as Record<string, unknown>,
              input: { startAdornment: <InputAdornment position="start">KES</InputAdornment> },
            }}
          />
          <Box sx={{ display: 'flex', justifyContent: 'flex-end', gap: 1 }}>
            <Button
              size="small"
              color="inherit"
              onClick={() => {
                setTag('');
                setMinAmount('');
              }}
            >
              Reset
            </Button>
            <Button size="small" variant="contained" type="submit" data-testid="more-filters-apply">
              Apply
            </Button>
          </Box>
        </Box>
      </Popover>
    </>
  );
}

export function CaseQueueToolbar({
  params,
  onChange,
  filtered,
  canWork,
  assignees,
}: {
  params: CaseQueueParams;
  onChange: (patch: Partial<CaseQueueParams>) => void;
  filtered: boolean;
  canWork: boolean;
  /** Colleagues to filter by (supervisors only; null hides them). */
  assignees: Assignee[] | null;
}) {
  const assigneeOptions: FilterOption<AssigneeFilter>[] = [
    ...(canWork ? [{ value: 'me', label: 'Assigned to me' }] : []),
    { value: 'unassigned', label: 'Unassigned' },
    ...(assignees ?? []).map((a) => ({ value: a.id, label: a.displayName })),
  ];
  // A colleague's id from a shared link, before (or without) the list of names.
  if (params.assignee !== 'everyone' && !assigneeOptions.some((o) => o.value === params.assignee)) {
    assigneeOptions.push({ value: params.assignee, label: 'A colleague' });
  }

  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, flexWrap: 'wrap', mb: 1.25 }} data-testid="case-queue-toolbar">
      <SearchField
        value={params.search}
        onChange={(search) => onChange({ search })}
        placeholder="Search case, customer, CIF"
        testId="case-search"
        width={244}
      />
      <FilterSelect
        label="State"
        value={params.state}
        options={STATE_OPTIONS}
        onChange={(state) => onChange({ state: state || 'OPEN' })}
        minWidth={138}
        testId="case-state-filter"
      />
      <FilterSelect
        label="Risk"
        value={params.riskLevel ?? ''}
        options={RISK_OPTIONS}
        onChange={(riskLevel) => onChange({ riskLevel: riskLevel || null })}
        anyLabel="All levels"
        minWidth={118}
        testId="case-risk-filter"
      />
      <FilterSelect
        label="Assignee"
        value={params.assignee === 'everyone' ? '' : params.assignee}
        options={assigneeOptions}
        onChange={(assignee) => onChange({ assignee: assignee || 'everyone' })}
        anyLabel="Anyone"
        minWidth={146}
        testId="case-assignee-filter"
      />
      <FilterSelect
        label="SLA"
        value={params.sla ?? ''}
        options={SLA_OPTIONS}
        onChange={(sla) => onChange({ sla: sla || null })}
        anyLabel="Any"
        minWidth={116}
        testId="case-sla-filter"
      />
      <FilterSelect
        label="Channel"
        value={params.channel ?? ''}
        options={CHANNEL_OPTIONS}
        onChange={(channel) => onChange({ channel: channel || null })}
        anyLabel="All"
        minWidth={112}
        testId="case-channel-filter"
      />
      <MoreFilters params={params} onChange={onChange} />
      {params.tag && <Chip size="small" label={`Tag: ${params.tag}`} onDelete={() => onChange({ tag: '' })} data-testid="active-tag-filter" />}
      {params.minAmountKes && (
        <Chip
          size="small"
          label={`≥ ${formatMoney(params.minAmountKes)}`}
          onDelete={() => onChange({ minAmountKes: null })}
          data-testid="active-amount-filter"
        />
      )}
      {filtered && (
        <Button size="small" onClick={() => onChange({ ...NO_FILTERS, queueId: params.queueId })} data-testid="clear-filters">
          Clear filters
        </Button>
      )}
    </Box>
  );
}
