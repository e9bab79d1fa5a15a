import { useCallback, useMemo } from 'react';
import { useNavigate } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import RefreshIcon from '@mui/icons-material/Refresh';
import TaskAltOutlined from '@mui/icons-material/TaskAltOutlined';
import ManageSearchOutlined from '@mui/icons-material/ManageSearchOutlined';
import { GridRow, type GridRowProps, type GridSortModel } from '@mui/x-data-grid';
import type { CaseSummary } from '../../../shared/src/cases.ts';
import { useCan } from '../api/session.ts';
import { useLiveEvent } from '../api/socket.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatCount } from '../lib/format.ts';
import { useRowFlash } from '../lib/useRowFlash.ts';
import { ServerGrid } from '../ui/ServerGrid.tsx';
import { PageHeader } from '../ui/layout.tsx';
import { caseColumns, SORTABLE_CASE_FIELDS } from './caseColumns.tsx';
import { CaseQueueToolbar } from './CaseQueueToolbar.tsx';
import { fetchCases } from './casesApi.ts';
import { CASE_PAGE_SIZES, useCaseQueueParams, type CaseSortField } from './useCaseQueueParams.ts';
import { useSharedQueueCounts } from './useQueueCounts.ts';

/** Each row carries its case reference so tests and support staff can find it in the DOM. */
function CaseGridRow(props: GridRowProps) {
  const row = props.row as CaseSummary;
  return <GridRow {...props} data-testid={`case-row-${row.reference}`} data-case-reference={row.reference} data-case-state={row.state} />;
}

export function CaseQueuePage() {
  const navigate = useNavigate();
  const canWork = useCan('case:work');
  const counts = useSharedQueueCounts();
  const [params, setParams, filtered] = useCaseQueueParams();
  const flash = useRowFlash();

  const query = {
    page: params.page,
    pageSize: params.pageSize,
    state: params.state,
    riskLevel: params.riskLevel ?? undefined,
    assignee: params.assignee === 'everyone' ? undefined : params.assignee,
    search: params.search || undefined,
    sort: params.sort,
    direction: params.direction,
  };
  const key = JSON.stringify(query);
  const fetcher = useCallback((signal: AbortSignal) => fetchCases(JSON.parse(key) as typeof query, signal), [key]);
  const { data, error, loading, fetching, refetch } = useApiQuery(`cases:${key}`, fetcher);

  // Live: when a case is opened or changed, refetch the page we are on, and highlight that row.
  useLiveRefresh(['case.opened', 'case.updated'], () => refetch({ silent: true }), { debounceMs: 150 });
  useLiveEvent('case.opened', (summary) => flash.mark(summary.id));
  useLiveEvent('case.updated', (summary) => flash.mark(summary.id));

  const sortModel = useMemo<GridSortModel>(() => [{ field: params.sort, sort: params.direction }], [params.sort, params.direction]);
  const rows = data?.items ?? [];

  const emptyTitle = filtered ? 'No cases match these filters' : 'No open cases — the queue is clear';
  const emptyBody = filtered ? 'Try another state or risk level, or clear the search.' : 'New cases appear here the moment the scoring engine flags a payment.';

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%', px: 2.5, pt: 2.5, pb: 2 }}>
      <PageHeader
        title="Case queue"
        subtitle={
          counts ? (
            <span data-testid="queue-summary">
              {formatCount(counts.open)} open · {formatCount(counts.unassigned)} unassigned
              {canWork && <> · {formatCount(counts.mine)} assigned to you</>}
              {counts.overdue > 0 && (
                <Box component="span" sx={{ color: 'error.main', fontWeight: 600 }}>
                  {' '}
                  · {formatCount(counts.overdue)} overdue
                </Box>
              )}
            </span>
          ) : (
            'Payments the scoring engine held for review'
          )
        }
        actions={
          <Tooltip title="Refresh">
            <span>
              <IconButton onClick={() => refetch({ silent: true })} disabled={fetching} aria-label="Refresh queue" size="small">
                <RefreshIcon fontSize="small" />
              </IconButton>
            </span>
          </Tooltip>
        }
      />
      <CaseQueueToolbar params={params} onChange={setParams} filtered={filtered} canWork={canWork} />
      <ServerGrid<CaseSummary>
        error={error}
        errorTitle="Could not load the queue"
        onRetry={() => refetch()}
        rows={rows}
        columns={caseColumns}
        getRowId={(row) => row.id}
        rowCount={data?.total ?? 0}
        loading={loading || (fetching && !data)}
        paginationModel={{ page: params.page, pageSize: params.pageSize }}
        onPaginationModelChange={(model) => setParams({ page: model.page, pageSize: model.pageSize })}
        pageSizeOptions={CASE_PAGE_SIZES}
        sortModel={sortModel}
        sortingOrder={['desc', 'asc']}
        onSortModelChange={(model) => {
          const first = model[0];
          if (first && SORTABLE_CASE_FIELDS.has(first.field) && first.sort) {
            setParams({ sort: first.field as CaseSortField, direction: first.sort });
          } else {
            setParams({ sort: 'createdAt', direction: 'desc' });
          }
        }}
        getRowClassName={({ row }) => [flash.isFlashing(row.id) ? 'row-flash' : '', row.state === 'CLOSED' ? 'row-closed' : ''].join(' ')}
        onOpenRow={(row) => navigate(`/cases/${row.id}`)}
        slots={{ row: CaseGridRow }}
        empty={{
          icon: filtered ? <ManageSearchOutlined /> : <TaskAltOutlined />,
          title: emptyTitle,
          body: emptyBody,
          action: filtered ? (
                <Button size="small" onClick={() => setParams({ state: 'OPEN', riskLevel: null, assignee: 'everyone', search: '' })}>
                  Clear filters
                </Button>
              ) : undefined,
        }}
        aria-label="Case queue"
      />
      <Typography variant="caption" sx={{ color: 'text.disabled', mt: 1 }}>
        Times in East Africa Time (EAT). Click a row or press Enter to open a case.
      </Typography>
    </Box>
  );
}
