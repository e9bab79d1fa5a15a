// Risk events (issue 13): incidents, losses, near misses and KRI breaches of the caller's tenants,
// newest first, filtered by type, severity, status and the linked risk or KRI (kept in the URL, so
// a KRI's "All events" link lands filtered). Risk officers record events here.
import { useCallback, useState } from 'react';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Snackbar from '@mui/material/Snackbar';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import AddIcon from '@mui/icons-material/Add';
import { DataGrid, GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import { RiskEventSeverity, RiskEventStatus, RiskEventType, type RiskEvent, type RiskEventListQuery } from '../../../shared/src/risk-events.ts';
import { useCan } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { FONT_MONO } from '../app/theme.ts';
import { formatCount, formatEat, formatEatShort, formatMoney } from '../lib/format.ts';
import { EVENT_SOURCE_LABELS, EVENT_TYPE_LABELS, EventStatusChip, SEVERITY_LABELS, SeverityChip } from '../kris/kriChips.tsx';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { GridEmptyOverlay } from '../ui/GridOverlays.tsx';
import { gridSx } from '../ui/gridStyles.ts';
import { ErrorState, PageHeader, RefreshButton } from '../ui/layout.tsx';
import { RiskEventDialog } from './RiskEventDialog.tsx';
import { fetchRiskEvents } from './riskEventsApi.ts';
import { useRegisterLookups } from './useRegisterLookups.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function EventGridRow(props: GridRowProps) {
  const row = props.row as RiskEvent;
  return <GridRow {...props} data-testid={`event-row-${row.reference}`} data-severity={row.severity} />;
}

/** The URL's filters, keeping only values the service accepts (a hand-edited URL cannot 400). */
function filtersOf(params: URLSearchParams): Partial<RiskEventListQuery> {
  const pick = <T extends string>(key: string, allowed: readonly T[]) => {
    const value = params.get(key);
    return value && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
  };
  const id = (key: string) => {
    const value = params.get(key);
    return value && UUID.test(value) ? value : undefined;
  };
  const out: Partial<RiskEventListQuery> = {
    type: pick('type', RiskEventType.options),
    severity: pick('severity', RiskEventSeverity.options),
    status: pick('status', RiskEventStatus.options),
    riskId: id('riskId'),
    kriId: id('kriId'),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

export function RiskEventsPage() {
  const theme = useTheme();
  const navigate = useNavigate();
  const canManage = useCan('risk:manage');
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const key = JSON.stringify(filters);
  const [recording, setRecording] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useApiQuery(
    `risk-events:${key}`,
    useCallback((signal: AbortSignal) => fetchRiskEvents({ ...JSON.parse(key), limit: 500 }, signal), [key]),
  );
  const lookups = useRegisterLookups();
  useLiveRefresh(['risk-event.changed', 'notification.created', 'sync.applied'], () => list.refetch({ silent: true }), {
    debounceMs: 800,
    minIntervalMs: 5000,
  });

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const events = list.data?.events ?? [];

  // The reference only (the title in the tooltip): the grid must fit a 1366-pixel screen.
  const linkCell = (id: string | null, names: Map<string, { reference: string; title: string }>, base: string) => {
    if (!id)
      return (
        <Typography variant="body2" sx={{ color: 'text.disabled' }}>
          —
        </Typography>
      );
    const name = names.get(id);
    return (
      <Link
        component={RouterLink}
        to={`${base}/${id}`}
        underline="hover"
        variant="body2"
        noWrap
        title={name ? `${name.reference} ${name.title}` : id}
        onClick={(e) => e.stopPropagation()}
        sx={{ fontFamily: FONT_MONO }}
      >
        {name?.reference ?? 'open'}
      </Link>
    );
  };

  const columns: GridColDef<RiskEvent>[] = [
    {
      field: 'reference',
      headerName: 'Ref',
      width: 90,
      renderCell: ({ row }) => (
        <Box component="span" sx={{ fontFamily: FONT_MONO, fontWeight: 600 }}>
          {row.reference}
        </Box>
      ),
    },
    {
      field: 'occurredAt',
      headerName: 'Occurred (EAT)',
      width: 124,
      renderCell: ({ row }) => <span title={formatEat(row.occurredAt)}>{formatEatShort(row.occurredAt)}</span>,
    },
    { field: 'type', headerName: 'Type', width: 96, valueGetter: (_, row) => EVENT_TYPE_LABELS[row.type] ?? row.type },
    { field: 'severity', headerName: 'Severity', width: 92, renderCell: ({ row }) => <SeverityChip severity={row.severity} /> },
    {
      field: 'title',
      headerName: 'Title',
      flex: 1,
      minWidth: 170,
      renderCell: ({ row }) => (
        <Typography variant="body2" noWrap title={row.title}>
          {row.title}
        </Typography>
      ),
    },
    { field: 'source', headerName: 'Source', width: 116, valueGetter: (_, row) => EVENT_SOURCE_LABELS[row.source] ?? row.source },
    { field: 'riskId', headerName: 'Risk', width: 92, sortable: false, renderCell: ({ row }) => linkCell(row.riskId, lookups.risks, '/risks') },
    { field: 'kriId', headerName: 'KRI', width: 92, sortable: false, renderCell: ({ row }) => linkCell(row.kriId, lookups.kris, '/kris') },
    {
      field: 'financialImpact',
      headerName: 'Financial impact',
      width: 140,
      align: 'right',
      headerAlign: 'right',
      valueGetter: (_, row) => row.financialImpact,
      renderCell: ({ row }) =>
        row.financialImpact != null ? (
          <Box component="span" sx={{ fontFamily: FONT_MONO }}>
            {formatMoney(row.financialImpact, row.currency ?? 'KES')}
          </Box>
        ) : (
          ''
        ),
    },
    { field: 'status', headerName: 'Status', width: 84, renderCell: ({ row }) => <EventStatusChip status={row.status} /> },
  ];

  const linkedFilter = filters.riskId ? lookups.risks.get(filters.riskId) : filters.kriId ? lookups.kris.get(filters.kriId) : undefined;

  return (
    <Box sx={{ px: 2.5, pt: 2.5, pb: 3, maxWidth: 1560, mx: 'auto', display: 'flex', flexDirection: 'column', height: '100%' }} data-testid="risk-events-page">
      <PageHeader
        title="Risk events"
        subtitle="Incidents, losses and near misses recorded by people; KRI breaches and events from the bank's systems recorded by the service."
        actions={
          <>
            <RefreshButton onClick={() => list.refetch({ silent: true })} disabled={list.fetching} label="Refresh risk events" />
            {canManage && (
              <Button variant="contained" startIcon={<AddIcon />} onClick={() => setRecording(true)} data-testid="risk-event-new">
                Record event
              </Button>
            )}
          </>
        }
      />
      <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', flexWrap: 'wrap', mb: 1.5 }}>
        <FilterSelect
          label="Type"
          value={filters.type ?? ''}
          anyLabel="Any type"
          options={RiskEventType.options.map((t) => ({ value: t, label: EVENT_TYPE_LABELS[t] ?? t }))}
          onChange={(v) => setFilter('type', v)}
          testId="event-filter-type"
        />
        <FilterSelect
          label="Severity"
          value={filters.severity ?? ''}
          anyLabel="Any severity"
          options={RiskEventSeverity.options.map((s) => ({ value: s, label: SEVERITY_LABELS[s] ?? s }))}
          onChange={(v) => setFilter('severity', v)}
          testId="event-filter-severity"
        />
        <FilterSelect
          label="Status"
          value={filters.status ?? ''}
          anyLabel="Open and closed"
          options={[
            { value: 'OPEN', label: 'Open' },
            { value: 'CLOSED', label: 'Closed' },
          ]}
          onChange={(v) => setFilter('status', v)}
          testId="event-filter-status"
        />
        {(filters.riskId || filters.kriId) && (
          <Chip
            label={`${filters.riskId ? 'Risk' : 'KRI'} ${linkedFilter ? `${linkedFilter.reference} ${linkedFilter.title}` : ''}`}
            onDelete={() => {
              const next = new URLSearchParams(params);
              next.delete('riskId');
              next.delete('kriId');
              setParams(next, { replace: true });
            }}
            data-testid="event-filter-linked"
          />
        )}
        <Box sx={{ flex: 1 }} />
        {list.data && (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {list.data.total > events.length
              ? `${formatCount(events.length)} newest of ${formatCount(list.data.total)}`
              : `${formatCount(list.data.total)} events`}
          </Typography>
        )}
      </Box>
      {list.error && <ErrorState error={list.error} onRetry={() => list.refetch()} title="Could not load the risk events" />}
      <Box sx={{ flex: 1, minHeight: 360 }}>
        <DataGrid
          rows={events}
          columns={columns}
          loading={list.loading}
          density="compact"
          disableRowSelectionOnClick
          hideFooterSelectedRowCount
          pageSizeOptions={[25, 50, 100]}
          initialState={{ pagination: { paginationModel: { pageSize: 50 } } }}
          onRowClick={({ row }) => navigate(`/risk-events/${(row as RiskEvent).id}`)}
          slots={{ row: EventGridRow, noRowsOverlay: GridEmptyOverlay }}
          slotProps={{ noRowsOverlay: { emptyTitle: 'No risk events', emptyBody: 'None match these filters.' } }}
          sx={gridSx(theme)}
        />
      </Box>
      {recording && (
        <RiskEventDialog
          preset={{ ...(filters.riskId ? { riskId: filters.riskId } : {}), ...(filters.kriId ? { kriId: filters.kriId } : {}) }}
          onClose={() => setRecording(false)}
          onSaved={(event) => {
            setRecording(false);
            setNotice(`${event.reference} recorded`);
            list.refetch({ silent: true });
          }}
        />
      )}
      <Snackbar open={!!notice} autoHideDuration={5000} onClose={() => setNotice(null)} message={notice} />
    </Box>
  );
}
