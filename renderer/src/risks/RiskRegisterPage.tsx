// The risk register (issue 13 "Screens"): the heat map of the filtered risks beside (or, on
// narrower screens, above) the grid. Clicking a cell narrows the grid to that cell; the map keeps
// counting every cell for the other filters, so it stays a map. Everything is in the URL.
import { useCallback, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import Skeleton from '@mui/material/Skeleton';
import Snackbar from '@mui/material/Snackbar';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import GppMaybeOutlined from '@mui/icons-material/GppMaybeOutlined';
import type { GridSortModel } from '@mui/x-data-grid';
import type { Risk } from '../../../shared/src/risk-register.ts';
import { useCan, useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatCount } from '../lib/format.ts';
import { PageHeader, RefreshButton } from '../ui/layout.tsx';
import { ServerGrid } from '../ui/ServerGrid.tsx';
import { levelAt, scaleName, toCellCounts } from './matrix.ts';
import { NewRiskDialog } from './NewRiskDialog.tsx';
import type { Person } from './OwnerField.tsx';
import { riskColumns, SORTABLE_RISK_FIELDS } from './riskColumns.tsx';
import { RiskFilters } from './RiskFilters.tsx';
import { LevelCounts, RiskHeatMap } from './RiskHeatMap.tsx';
import { fetchRisks } from './risksApi.ts';
import { NO_RISK_FILTERS, RISK_PAGE_SIZES, toRiskListQuery, useRiskRegisterParams, type HeatBasis } from './useRiskRegisterParams.ts';

export function RiskRegisterPage() {
  const [params, setParams, filtered] = useRiskRegisterParams();
  const navigate = useNavigate();
  const session = useSession();
  const canManage = useCan('risk:manage');
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const query = toRiskListQuery(params);
  const key = JSON.stringify(query);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the query, serialised.
  const fetcher = useCallback((signal: AbortSignal) => fetchRisks(query, signal), [key]);
  const { data, error, loading, fetching, refetch } = useApiQuery(`risks:${key}`, fetcher);
  // Someone else's change (or a test recorded elsewhere) moves risks on the map: refetch quietly.
  useLiveRefresh(['register.changed'], () => refetch({ silent: true }), { debounceMs: 300, minIntervalMs: 2000 });

  // Owners and tenants met so far feed the filter choices (the register has no directory of its own).
  const seenOwners = useRef(new Map<string, Person>());
  const seenTenants = useRef(new Set<string>());
  for (const risk of data?.items ?? []) {
    seenOwners.current.set(risk.ownerId, { id: risk.ownerId, name: risk.ownerName });
    seenTenants.current.add(risk.tenantId);
  }
  const owners = [...seenOwners.current.values()].sort((a, b) => a.name.localeCompare(b.name));
  const ownTenants = session?.user.tenantIds ?? [];
  const tenants = ownTenants.length ? ownTenants : [...seenTenants.current].sort();

  const matrix = data?.matrix?.definition ?? null;
  const counts = useMemo(() => toCellCounts(data?.heatMap[params.basis] ?? []), [data, params.basis]);
  const columns = useMemo(() => riskColumns(), []);
  const sortModel: GridSortModel = [{ field: params.sort, sort: params.direction }];
  const cell = params.likelihood !== null && params.impact !== null ? { likelihood: params.likelihood, impact: params.impact } : null;
  const cellLevel = matrix && cell ? levelAt(matrix, cell.likelihood, cell.impact) : null;
  const mapped = [...counts.values()].reduce((a, b) => a + b, 0);

  const heatMapCard = (
    <Card sx={{ p: 2, alignSelf: 'start' }} data-testid="risk-heat-map-card">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1.5, flexWrap: 'wrap' }}>
        <Box sx={{ flex: 1, minWidth: 140 }}>
          <Typography variant="h6" component="h2">
            Heat map
          </Typography>
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            {data ? `${formatCount(mapped)} assessed · matrix v${data.matrix?.versionNumber ?? '—'}` : ' '}
          </Typography>
        </Box>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={params.basis}
          onChange={(_, basis: HeatBasis | null) => basis && setParams({ basis })}
          aria-label="Score shown on the heat map"
        >
          <ToggleButton value="inherent" data-testid="heat-basis-inherent">
            Inherent
          </ToggleButton>
          <ToggleButton value="residual" data-testid="heat-basis-residual">
            Residual
          </ToggleButton>
        </ToggleButtonGroup>
      </Box>
      {matrix ? (
        <Box sx={{ display: 'flex', flexDirection: { xs: 'column', md: 'row', xl: 'column' }, gap: 2, alignItems: { md: 'flex-start', xl: 'stretch' } }}>
          <Box sx={{ flex: { md: '0 1 560px', xl: 'none' }, minWidth: 0 }}>
            <RiskHeatMap
              matrix={matrix}
              counts={counts}
              selected={cell}
              basisLabel={params.basis}
              onSelect={(next) => setParams({ likelihood: next?.likelihood ?? null, impact: next?.impact ?? null })}
            />
          </Box>
          <Box sx={{ flex: 1, minWidth: 220, display: 'grid', gap: 1.25, alignContent: 'start' }}>
            <LevelCounts
              matrix={matrix}
              counts={counts}
              basis={params.basis}
              selected={params.level}
              onSelect={(level) => setParams({ level: level === params.level ? null : level })}
            />
            {cell && (
              <Chip
                label={`Cell: ${scaleName(matrix.likelihood, cell.likelihood)} × ${scaleName(matrix.impact, cell.impact)} (${cellLevel?.name ?? '—'}, ${params.basis})`}
                onDelete={() => setParams({ likelihood: null, impact: null })}
                data-testid="heat-cell-filter"
                sx={{ maxWidth: '100%', justifySelf: 'start' }}
              />
            )}
            <Typography variant="caption" sx={{ color: 'text.secondary' }}>
              Click a cell (or press Enter on it; arrow keys move) to list its risks. Counts follow the other filters.
            </Typography>
          </Box>
        </Box>
      ) : error || data ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {data ? 'No risk matrix has been published yet.' : 'The heat map shows once the register loads.'}
        </Typography>
      ) : (
        <Skeleton variant="rounded" height={300} />
      )}
    </Card>
  );

  return (
    <Box sx={{ px: 2.5, pt: 2.5, pb: 3, maxWidth: 1760, mx: 'auto' }} data-testid="risk-register-page">
      <PageHeader
        title="Risk register"
        subtitle="Risks scored on the risk matrix. Residual scores follow the effectiveness of the linked controls; reviews fall due by level."
        actions={
          <>
            <RefreshButton onClick={() => refetch()} label="Reload the register" />
            {canManage && (
              <Button variant="contained" startIcon={<AddIcon />} onClick={() => setCreating(true)} data-testid="risk-new">
                New risk
              </Button>
            )}
          </>
        }
      />
      <RiskFilters
        params={params}
        onChange={setParams}
        filtered={filtered}
        onClear={() => setParams(NO_RISK_FILTERS)}
        tenants={tenants}
        owners={owners}
        matrix={matrix}
      />
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0, 1fr)', xl: '440px minmax(0, 1fr)' }, alignItems: 'start' }}>
        <Box sx={{ minWidth: 0 }}>{heatMapCard}</Box>
        <Box sx={{ display: 'flex', flexDirection: 'column', minWidth: 0, height: { xs: 620, xl: 'calc(100vh - 200px)' }, minHeight: 480 }}>
          <Typography variant="body2" sx={{ color: 'text.secondary', mb: 0.75 }} data-testid="risk-count">
            {data ? (
              <>
                <Box component="span" sx={{ color: 'text.primary', fontWeight: 600 }}>
                  {formatCount(data.total)} {data.total === 1 ? 'risk' : 'risks'}
                </Box>
                {cell ? ' in the chosen cell' : ''}
              </>
            ) : (
              ' '
            )}
          </Typography>
          <ServerGrid<Risk>
            error={error}
            errorTitle="Could not load the risk register"
            onRetry={() => refetch()}
            rows={data?.items ?? []}
            columns={columns}
            getRowId={(row) => row.id}
            rowCount={data?.total ?? 0}
            loading={loading || (fetching && !data)}
            paginationModel={{ page: params.page, pageSize: params.pageSize }}
            onPaginationModelChange={(model) => setParams({ page: model.page, pageSize: model.pageSize })}
            pageSizeOptions={RISK_PAGE_SIZES}
            sortModel={sortModel}
            sortingOrder={['desc', 'asc']}
            onSortModelChange={(model) => {
              const first = model[0];
              if (first?.sort && SORTABLE_RISK_FIELDS.has(first.field)) setParams({ sort: first.field as typeof params.sort, direction: first.sort });
              else setParams({ sort: 'residualScore', direction: 'desc' });
            }}
            rowHeight={52}
            hideFooterSelectedRowCount
            getRowClassName={({ row }) => (row.status === 'CLOSED' ? 'row-closed' : '')}
            onOpenRow={(row) => navigate(`/risks/${row.id}`)}
            empty={{
              icon: <GppMaybeOutlined />,
              title: filtered ? 'No risk matches these filters' : 'No risks yet',
              body: filtered
                ? 'Clear the filters or pick another heat-map cell.'
                : canManage
                  ? 'Identify the first risk with “New risk”.'
                  : 'Risk officers add risks here.',
              action: filtered ? (
                <Button size="small" onClick={() => setParams(NO_RISK_FILTERS)}>
                  Clear filters
                </Button>
              ) : undefined,
            }}
          />
        </Box>
      </Box>
      {creating && (
        <NewRiskDialog
          onClose={() => setCreating(false)}
          tenants={tenants}
          onCreated={(risk) => {
            setCreating(false);
            setNotice(`${risk.reference} “${risk.title}” identified`);
            navigate(`/risks/${risk.id}`);
          }}
        />
      )}
      <Snackbar open={!!notice} autoHideDuration={5000} onClose={() => setNotice(null)} message={notice} />
    </Box>
  );
}
