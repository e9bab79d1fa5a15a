// The alerts inbox (issue 15): what the pattern detectors raised in the caller's tenants, newest
// first. Severity chips count the unresolved alerts and filter by a click; every filter is in the
// URL; new and changed alerts arrive live ('alert.changed').
import { useCallback, useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import NotificationsActiveOutlined from '@mui/icons-material/NotificationsActiveOutlined';
import { GridRow, type GridRowProps } from '@mui/x-data-grid';
import { AlertSeverity, type Alert } from '../../../shared/src/alerts.ts';
import { knownTenants } from '../admin/TenantField.tsx';
import { useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { fetchAssignees } from '../cases/casesApi.ts';
import { formatCount } from '../lib/format.ts';
import { PageHeader, RefreshButton } from '../ui/layout.tsx';
import { ServerGrid } from '../ui/ServerGrid.tsx';
import { withPageModel } from '../ui/urlPaging.ts';
import { ALERT_COLUMNS } from './alertColumns.tsx';
import { AlertFilters } from './AlertFilters.tsx';
import { PAGE_SIZES, parseAlertParams, toAlertListQuery, withParam } from './alertParams.ts';
import { fetchAlerts } from './alertsApi.ts';
import { SEVERITY_LABELS } from './alertWords.tsx';

function AlertGridRow(props: GridRowProps) {
  const row = props.row as Alert;
  return <GridRow {...props} data-testid={`alert-row-${row.reference}`} data-status={row.status} data-pattern={row.pattern} data-entity={row.entityId} />;
}

/** Unresolved alerts per severity; a click filters the grid to that severity (again: clears it). */
function SeverityCounts({
  counts,
  selected,
  onSelect,
}: {
  counts: Record<string, number> | undefined;
  selected: AlertSeverity | null;
  onSelect: (s: AlertSeverity | null) => void;
}) {
  const theme = useTheme();
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', mb: 1.5 }} role="group" aria-label="Unresolved alerts by severity">
      {[...AlertSeverity.options].reverse().map((s) => {
        const colour = theme.palette.risk[s];
        const on = selected === s;
        const n = counts?.[s] ?? 0;
        return (
          <Chip
            key={s}
            clickable
            onClick={() => onSelect(on ? null : s)}
            aria-pressed={on}
            data-testid={`alert-severity-count-${s}`}
            label={
              <span>
                {SEVERITY_LABELS[s]}{' '}
                <Box component="span" sx={{ fontWeight: 750, ml: 0.5 }} data-testid={`alert-severity-count-${s}-value`}>
                  {counts ? formatCount(n) : '…'}
                </Box>
              </span>
            }
            sx={{
              height: 30,
              fontWeight: 600,
              color: on ? '#fff' : colour,
              bgcolor: on ? colour : alpha(colour, theme.palette.mode === 'dark' ? 0.16 : 0.08),
              border: `1px solid ${alpha(colour, 0.4)}`,
              '&:hover': { bgcolor: on ? colour : alpha(colour, 0.18) },
            }}
          />
        );
      })}
      <Typography variant="caption" sx={{ color: 'text.secondary', alignSelf: 'center', ml: 0.5 }}>
        unresolved in your tenants
      </Typography>
    </Box>
  );
}

export function AlertsPage() {
  const navigate = useNavigate();
  const session = useSession();
  const [search, setSearch] = useSearchParams();
  const params = parseAlertParams(search);
  const query = toAlertListQuery(params);
  const key = JSON.stringify(query);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the query, serialised.
  const fetcher = useCallback((signal: AbortSignal) => fetchAlerts(query, signal), [key]);
  const list = useApiQuery(`alerts:${key}`, fetcher);
  const assignees = useApiQuery(
    'alert-assignees',
    useCallback((signal: AbortSignal) => fetchAssignees(signal), []),
  );
  useLiveRefresh(['alert.changed'], () => list.refetch({ silent: true }), { debounceMs: 300, minIntervalMs: 1500 });
  const rows = list.data?.items ?? [];
  const tenants = useMemo(() => knownTenants([rows.map((a) => a.tenantId)], session?.user.tenantIds ?? []), [rows, session]);
  const set = (name: string, value: string | null) => setSearch(withParam(search, name, value), { replace: true });

  return (
    <Box sx={{ px: 2.5, pt: 2.5, pb: 3, maxWidth: 1560, mx: 'auto', display: 'flex', flexDirection: 'column', height: '100%' }} data-testid="alerts-page">
      <PageHeader
        title="Alerts"
        subtitle="Patterns the detectors found in the payment stream: bursts of risky payments, fraud-engine failures, velocity, impossible travel, devices, account takeover and money laundering."
        actions={<RefreshButton onClick={() => list.refetch({ silent: true })} disabled={list.fetching} label="Refresh the alerts" />}
      />
      <SeverityCounts counts={list.data?.openBySeverity} selected={params.severity} onSelect={(s) => set('severity', s)} />
      <AlertFilters
        params={params}
        tenants={tenants}
        assignees={assignees.data ?? []}
        onChange={set}
        onClear={() => setSearch(new URLSearchParams(), { replace: true })}
      />
      {list.data && (
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 0.75 }} data-testid="alert-count">
          {formatCount(list.data.total)} {list.data.total === 1 ? 'alert' : 'alerts'}
        </Typography>
      )}
      <ServerGrid<Alert>
        error={list.error}
        errorTitle="Could not load the alerts"
        onRetry={() => list.refetch()}
        rows={rows}
        columns={ALERT_COLUMNS}
        getRowId={(row) => row.id}
        rowCount={list.data?.total ?? 0}
        loading={list.loading || (list.fetching && !list.data)}
        paginationModel={{ page: params.page, pageSize: params.pageSize }}
        onPaginationModelChange={(model) => setSearch(withPageModel(search, model, params.pageSize), { replace: true })}
        pageSizeOptions={[...PAGE_SIZES]}
        density="compact"
        rowHeight={52}
        onOpenRow={(row) => navigate(`/alerts/${row.id}`)}
        slots={{ row: AlertGridRow }}
        empty={{ icon: <NotificationsActiveOutlined />, title: 'No alerts', body: 'None match these filters.' }}
        aria-label="Alerts"
        sx={{ border: 0, '& .MuiDataGrid-cell': { display: 'flex', alignItems: 'center' } }}
      />
    </Box>
  );
}
