import { useCallback, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import ArrowUpward from '@mui/icons-material/ArrowUpward';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import type { GridSortModel } from '@mui/x-data-grid';
import { Decision, RiskLevel, type Assessment, type AssessmentListQuery } from '../../../shared/src/assessments.ts';
import { Channel } from '../../../shared/src/payments.ts';
import { useCan } from '../api/session.ts';
import { useLiveEvent } from '../api/socket.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatCount, humanise } from '../lib/format.ts';
import { useRowFlash } from '../lib/useRowFlash.ts';
import { DECISION_LABELS } from '../ui/chips.tsx';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { ServerGrid } from '../ui/ServerGrid.tsx';
import { PageHeader } from '../ui/layout.tsx';
import { SearchField } from '../ui/SearchField.tsx';
import { assessmentColumns, SORTABLE_ASSESSMENT_FIELDS } from './assessmentColumns.tsx';
import { fetchAssessments } from './assessmentsApi.ts';

type SortField = AssessmentListQuery['sort'];
interface Filters {
  riskLevel: RiskLevel | '';
  decision: Decision | '';
  channel: Channel | '';
  search: string;
}
const NO_FILTERS: Filters = { riskLevel: '', decision: '', channel: '', search: '' };

export function AssessmentsPage() {
  const navigate = useNavigate();
  const canReadCases = useCan('case:read');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [pagination, setPagination] = useState({ page: 0, pageSize: 50 });
  const [sort, setSort] = useState<{ field: SortField; direction: 'asc' | 'desc' }>({ field: 'createdAt', direction: 'desc' });
  const [missed, setMissed] = useState(0);
  const flash = useRowFlash();

  const filtered = filters.riskLevel !== '' || filters.decision !== '' || filters.channel !== '' || filters.search !== '';
  const atHead = pagination.page === 0 && sort.field === 'createdAt' && sort.direction === 'desc';

  const query: Partial<AssessmentListQuery> = {
    page: pagination.page,
    pageSize: pagination.pageSize,
    riskLevel: filters.riskLevel || undefined,
    decision: filters.decision || undefined,
    channel: filters.channel || undefined,
    search: filters.search || undefined,
    sort: sort.field,
    direction: sort.direction,
  };
  const key = JSON.stringify(query);
  const fetcher = useCallback((signal: AbortSignal) => fetchAssessments(JSON.parse(key) as Partial<AssessmentListQuery>, signal), [key]);
  const { data, error, loading, fetching, refetch } = useApiQuery(`assessments:${key}`, fetcher);

  // New assessments stream in at the top when the user is looking at the top; otherwise we only
  // count them, so rows do not shift under someone reading page 3.
  useLiveRefresh(['assessment.created'], () => refetch({ silent: true }), { debounceMs: 250, enabled: atHead });
  useLiveEvent('assessment.created', (event) => {
    if (atHead) flash.mark(event.id);
    else setMissed((n) => n + 1);
  });

  const sortModel = useMemo<GridSortModel>(() => [{ field: sort.field, sort: sort.direction }], [sort]);
  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPagination((p) => ({ ...p, page: 0 }));
  };

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%', px: 2.5, pt: 2.5, pb: 2 }}>
      <PageHeader
        title="Assessments"
        subtitle={data ? `${formatCount(data.total)} payments scored${filtered ? ' matching these filters' : ''}` : 'Every payment the scoring engine has assessed'}
      />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, flexWrap: 'wrap', mb: 1.5 }}>
        <SearchField value={filters.search} onChange={(search) => update({ search })} placeholder="Search reference or customer" testId="assessment-search" />
        <FilterSelect
          label="Risk"
          value={filters.riskLevel}
          anyLabel="All levels"
          options={[...RiskLevel.options].reverse().map((l) => ({ value: l, label: humanise(l) }))}
          onChange={(riskLevel) => update({ riskLevel })}
          minWidth={130}
        />
        <FilterSelect
          label="Decision"
          value={filters.decision}
          anyLabel="All decisions"
          options={Decision.options.map((d) => ({ value: d, label: DECISION_LABELS[d] }))}
          onChange={(decision) => update({ decision })}
          minWidth={150}
        />
        <FilterSelect
          label="Channel"
          value={filters.channel}
          anyLabel="All channels"
          options={Channel.options.map((c) => ({ value: c, label: c }))}
          onChange={(channel) => update({ channel })}
          minWidth={140}
        />
        {filtered && (
          <Button size="small" onClick={() => update(NO_FILTERS)}>
            Clear filters
          </Button>
        )}
        <Box sx={{ flex: 1 }} />
        {missed > 0 && !atHead && (
          <Button
            size="small"
            variant="outlined"
            startIcon={<ArrowUpward fontSize="small" />}
            onClick={() => {
              setMissed(0);
              setSort({ field: 'createdAt', direction: 'desc' });
              setPagination((p) => ({ ...p, page: 0 }));
            }}
          >
            {missed} new — show latest
          </Button>
        )}
      </Box>
      <ServerGrid<Assessment>
        error={error}
        errorTitle="Could not load assessments"
        onRetry={() => refetch()}
        rows={data?.items ?? []}
        columns={assessmentColumns}
        getRowId={(row) => row.id}
        rowCount={data?.total ?? 0}
        loading={loading || (fetching && !data)}
        paginationModel={pagination}
        onPaginationModelChange={(model) => {
          setPagination(model);
          if (model.page === 0) setMissed(0);
        }}
        pageSizeOptions={[25, 50, 100]}
        sortModel={sortModel}
        sortingOrder={['desc', 'asc']}
        onSortModelChange={(model) => {
          const first = model[0];
          setSort(
            first && SORTABLE_ASSESSMENT_FIELDS.has(first.field) && first.sort
              ? { field: first.field as SortField, direction: first.sort }
              : { field: 'createdAt', direction: 'desc' },
          );
          setPagination((p) => ({ ...p, page: 0 }));
        }}
        getRowClassName={({ row }) => [flash.isFlashing(row.id) ? 'row-flash' : '', row.caseId && canReadCases ? 'row-link' : ''].join(' ')}
        onOpenRow={(row) => {
          if (row.caseId && canReadCases) navigate(`/cases/${row.caseId}`);
        }}
        empty={{
          icon: <FactCheckOutlined />,
          title: filtered ? 'No assessments match these filters' : 'No payments assessed yet',
          body: filtered ? 'Try a different risk level, decision or channel.' : 'Assessments appear here as the payment engine sends payments for scoring.',
        }}
        aria-label="Assessments"
        clickable={false}
        sx={{ '& .row-link': { cursor: 'pointer' } }}
      />
      <Typography variant="caption" sx={{ color: 'text.disabled', mt: 1 }}>
        Rows that opened a case link to it. Amounts in KES equivalent; original currency below.
      </Typography>
    </Box>
  );
}
