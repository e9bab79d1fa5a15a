// Administration › Detector thresholds (issue 15): each pattern detector's thresholds as data per
// tenant — a tenant's own row, else the bank's defaults ("*"), else the product's defaults.
// Risk managers edit and backtest them; everyone who reads alerts may see what they are.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import SsidChartOutlined from '@mui/icons-material/SsidChartOutlined';
import { GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import { AlertPattern, PATTERN_FAMILY, type AlertThresholdSet } from '../../../../shared/src/alerts.ts';
import { TenantId } from '../../../../shared/src/tenants.ts';
import { StatusChip } from '../../admin/adminChips.tsx';
import { knownTenants } from '../../admin/TenantField.tsx';
import { useCan, useSession } from '../../api/session.ts';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { FilterSelect } from '../../ui/FilterSelect.tsx';
import { PageHeader, RefreshButton } from '../../ui/layout.tsx';
import { ListGrid } from '../../ui/ListGrid.tsx';
import { SeverityChip, PATTERN_LABELS } from '../alertWords.tsx';
import { fetchAlertThresholds } from '../alertsApi.ts';
import { ThresholdDialog } from './ThresholdDialog.tsx';
import { thresholdSummary } from './thresholdFields.ts';

type Row = AlertThresholdSet & { id: string };

function ThresholdGridRow(props: GridRowProps) {
  const row = props.row as Row;
  return <GridRow {...props} data-testid={`threshold-row-${row.pattern}`} />;
}

const COLUMNS: GridColDef<Row>[] = [
  {
    field: 'pattern',
    headerName: 'Detector',
    flex: 1,
    minWidth: 220,
    renderCell: ({ row }) => (
      <Box sx={{ minWidth: 0, lineHeight: 1.3 }}>
        <Typography variant="body2" noWrap sx={{ fontWeight: 650 }}>
          {PATTERN_LABELS[row.pattern]}
        </Typography>
        <Typography variant="caption" noWrap sx={{ color: 'text.secondary', display: 'block' }}>
          {PATTERN_FAMILY[row.pattern]}
        </Typography>
      </Box>
    ),
  },
  {
    field: 'thresholds',
    headerName: 'Thresholds',
    flex: 2.2,
    minWidth: 300,
    sortable: false,
    renderCell: ({ row }) => {
      const text = row.pattern === 'RISKY_PAYMENT' ? 'Per configuration (decision engine alert settings)' : thresholdSummary(row.thresholds);
      return (
        <Typography variant="body2" noWrap title={text}>
          {text}
        </Typography>
      );
    },
  },
  {
    field: 'severity',
    headerName: 'Raises',
    width: 100,
    sortable: false,
    renderCell: ({ row }) => ('severity' in row.thresholds ? <SeverityChip severity={row.thresholds.severity} /> : '—'),
  },
  {
    field: 'enabled',
    headerName: 'State',
    width: 90,
    renderCell: ({ row }) => <StatusChip label={row.enabled ? 'On' : 'Off'} tone={row.enabled ? 'success' : 'neutral'} />,
  },
  {
    field: 'isDefault',
    headerName: 'Source',
    width: 150,
    valueGetter: (_, row) => (row.isDefault ? 'Product default' : row.tenantId === '*' ? 'Bank default' : 'This tenant'),
  },
];

export function AlertThresholdsPage() {
  const session = useSession();
  const canEdit = useCan('alert:configure');
  const [params, setParams] = useSearchParams();
  const tenantParam = params.get('tenantId');
  const tenantId = tenantParam && tenantParam !== '*' && TenantId.safeParse(tenantParam).success ? tenantParam : '*';
  const patternParam = params.get('pattern');
  const open = AlertPattern.safeParse(patternParam).success ? (patternParam as AlertPattern) : null;
  const sets = useApiQuery(
    `alert-thresholds:${tenantId}`,
    useCallback((signal: AbortSignal) => fetchAlertThresholds(tenantId, signal), [tenantId]),
  );
  const rows: Row[] = useMemo(() => (sets.data ?? []).map((s) => ({ ...s, id: s.pattern })), [sets.data]);
  const tenants = useMemo(() => knownTenants([tenantId === '*' ? [] : [tenantId]], session?.user.tenantIds ?? []), [tenantId, session]);
  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const openSet = open ? (rows.find((r) => r.pattern === open) ?? null) : null;

  return (
    <Box sx={{ px: 2.5, pt: 2.5, pb: 3, maxWidth: 1560, mx: 'auto' }} data-testid="alert-thresholds-page">
      <PageHeader
        title="Detector thresholds"
        subtitle="When each pattern detector raises an alert, per tenant: a tenant’s own thresholds, else the bank’s defaults, else the product’s. Backtest changes on stored payments before saving."
        actions={<RefreshButton onClick={() => sets.refetch()} disabled={sets.fetching} label="Refresh the thresholds" />}
      />
      <Box sx={{ display: 'flex', gap: 1.25, mb: 1.5 }}>
        <FilterSelect
          label="Thresholds of"
          value={tenantId}
          options={[{ value: '*', label: 'Every tenant (bank defaults)' }, ...tenants.map((t) => ({ value: t, label: t }))]}
          onChange={(v) => setParam('tenantId', v && v !== '*' ? v : null)}
          minWidth={240}
          testId="threshold-tenant"
        />
      </Box>
      <ListGrid<Row>
        rows={rows}
        columns={COLUMNS}
        loading={sets.loading && !sets.data}
        error={sets.error}
        errorTitle="Could not load the thresholds"
        onRetry={() => sets.refetch()}
        onOpenRow={(row) => setParam('pattern', row.pattern)}
        slots={{ row: ThresholdGridRow }}
        empty={{ icon: <SsidChartOutlined />, title: 'No detectors', body: 'The service answered no thresholds.' }}
        aria-label="Detector thresholds"
      />
      {openSet && (
        <ThresholdDialog
          key={`${openSet.tenantId}:${openSet.pattern}`}
          set={openSet}
          canEdit={canEdit}
          tenants={tenants}
          onClose={() => setParam('pattern', null)}
          onSaved={() => sets.refetch({ silent: true })}
        />
      )}
    </Box>
  );
}
