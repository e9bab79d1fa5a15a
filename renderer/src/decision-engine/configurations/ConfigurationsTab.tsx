// The configurations list: which configuration scores which payments, in the order the engine
// picks them (most specific first, then priority), with each one's bank-engine breaker state.
import { useCallback, useState } from 'react';
import { Link as RouterLink, useLocation, useNavigate } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Snackbar from '@mui/material/Snackbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import AddIcon from '@mui/icons-material/Add';
import TuneOutlined from '@mui/icons-material/TuneOutlined';
import { GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import type { FraudRiskConfiguration, FraudRiskHealth } from '../../../../shared/src/decision-engine.ts';
import { useCan } from '../../api/session.ts';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { useLiveRefresh } from '../../api/useLiveRefresh.ts';
import { formatEat, humanise } from '../../lib/format.ts';
import { softChipSx, TagChip } from '../../ui/chips.tsx';
import { FilterSelect } from '../../ui/FilterSelect.tsx';
import { SearchField } from '../../ui/SearchField.tsx';
import { ServerGrid } from '../../ui/ServerGrid.tsx';
import { Mono, UpdatedCell } from '../../ui/values.tsx';
import { fetchConfigurations, fetchHealth } from '../decisionEngineApi.ts';
import { BreakerChip, DraftBadge } from '../engineChips.tsx';
import { EngineStateChip } from './BankEngineSummary.tsx';

function ConfigurationRow(props: GridRowProps) {
  const row = props.row as FraudRiskConfiguration;
  return <GridRow {...props} data-testid="config-row" data-configuration-id={row.id} data-configuration-name={row.configurationName} />;
}

function EnabledChip({ enabled }: { enabled: boolean }) {
  const theme = useTheme();
  return (
    <Chip
      label={enabled ? 'Enabled' : 'Disabled'}
      data-enabled={String(enabled)}
      sx={softChipSx(enabled ? theme.palette.status.success : theme.palette.status.neutral, theme)}
    />
  );
}

/** How specific a configuration is: the engine prefers more scope fields set. */
export function scopeChips(config: Pick<FraudRiskConfiguration, 'paymentType' | 'localInstrumentationCode' | 'clearingSystemCode' | 'paymentSource'>) {
  const chips: { key: string; label: string; title: string }[] = [];
  if (config.paymentType) chips.push({ key: 'pt', label: config.paymentType, title: 'Payment type' });
  if (config.localInstrumentationCode) chips.push({ key: 'li', label: config.localInstrumentationCode, title: 'Local instrument' });
  if (config.clearingSystemCode) chips.push({ key: 'cs', label: config.clearingSystemCode, title: 'Clearing system' });
  if (config.paymentSource !== 'BOTH') chips.push({ key: 'src', label: humanise(config.paymentSource), title: 'Payment source' });
  return chips;
}

function columns(health: FraudRiskHealth | undefined): GridColDef<FraudRiskConfiguration>[] {
  return [
    {
      field: 'configurationName',
      headerName: 'Configuration',
      flex: 1.6,
      minWidth: 260,
      renderCell: ({ row }) => (
        <Box sx={{ minWidth: 0, lineHeight: 1.3 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
            <Typography variant="body2" sx={{ fontWeight: 600 }} noWrap>
              {row.configurationName}
            </Typography>
            {row.draft && (
              <DraftBadge
                title={`Draft v${row.draft.versionNumber} saved ${formatEat(row.draft.updatedAt)}${row.draft.updatedBy ? ` by ${row.draft.updatedBy}` : ''}`}
              />
            )}
          </Box>
          {row.description && (
            <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }} noWrap title={row.description}>
              {row.description}
            </Typography>
          )}
        </Box>
      ),
    },
    {
      field: 'tenantId',
      headerName: 'Tenant',
      width: 120,
      renderCell: ({ row }) => <Mono sx={{ fontSize: 12 }}>{row.tenantId === '*' ? 'All tenants' : row.tenantId}</Mono>,
    },
    {
      field: 'scope',
      headerName: 'Applies to',
      flex: 0.9,
      minWidth: 160,
      renderCell: ({ row }) => {
        const chips = scopeChips(row);
        return chips.length === 0 ? (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            All payments
          </Typography>
        ) : (
          <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', py: 0.5 }}>
            {chips.map((chip) => (
              <Tooltip key={chip.key} title={chip.title}>
                <span>
                  <TagChip label={chip.label} />
                </span>
              </Tooltip>
            ))}
          </Box>
        );
      },
    },
    { field: 'riskAssessmentType', headerName: 'Assessment', width: 104, renderCell: ({ row }) => humanise(row.riskAssessmentType) },
    { field: 'isEnabled', headerName: 'State', width: 96, renderCell: ({ row }) => <EnabledChip enabled={row.isEnabled} /> },
    { field: 'priority', headerName: 'Priority', width: 74, align: 'right', headerAlign: 'right', renderCell: ({ row }) => <Mono>{row.priority}</Mono> },
    { field: 'version', headerName: 'Version', width: 74, renderCell: ({ row }) => <Mono sx={{ fontWeight: 600 }}>v{row.version}</Mono> },
    {
      field: 'bank',
      headerName: 'Bank engine',
      width: 200,
      renderCell: ({ row }) => {
        const bank = row.bankFraudApiConfig;
        if (!bank) {
          return (
            <Typography variant="body2" sx={{ color: 'text.disabled' }}>
              Not configured
            </Typography>
          );
        }
        const engine = health?.bankEngines.find((e) => e.configurationId === row.id);
        return (
          <Box sx={{ display: 'flex', gap: 0.5, alignItems: 'center' }}>
            <EngineStateChip enabled={bank.enabled} />
            {bank.enabled && engine && <BreakerChip state={engine.breakerState} />}
          </Box>
        );
      },
    },
    {
      field: 'updatedAt',
      headerName: 'Updated',
      width: 150,
      renderCell: ({ row }) => <UpdatedCell at={row.updatedAt} by={row.updatedBy} />,
    },
  ];
}

/** Most specific first, then priority, then name: the order in which the engine considers them. */
function engineOrder(a: FraudRiskConfiguration, b: FraudRiskConfiguration): number {
  const specificity = (c: FraudRiskConfiguration) => (c.tenantId === '*' ? 0 : 8) + scopeChips(c).length;
  return specificity(b) - specificity(a) || a.priority - b.priority || a.configurationName.localeCompare(b.configurationName);
}

export function ConfigurationsTab() {
  const navigate = useNavigate();
  const location = useLocation();
  const canManage = useCan('configuration:manage');
  const [search, setSearch] = useState('');
  const [enabled, setEnabled] = useState<'true' | 'false' | ''>('');
  const [notice, setNotice] = useState<string | null>(() => (location.state as { notice?: string } | null)?.notice ?? null);

  const key = JSON.stringify({ search, enabled });
  const fetcher = useCallback(
    (signal: AbortSignal) => fetchConfigurations({ search: search || undefined, enabled: enabled || undefined }, signal),
    [search, enabled],
  );
  const { data, error, loading, refetch } = useApiQuery(`configurations:${key}`, fetcher);
  const healthFetcher = useCallback((signal: AbortSignal) => fetchHealth(signal), []);
  const health = useApiQuery('de-health', healthFetcher);
  useLiveRefresh(['configuration.changed'], () => {
    refetch({ silent: true });
    health.refetch({ silent: true });
  });

  const rows = [...(data ?? [])].sort(engineOrder);
  const filtered = search !== '' || enabled !== '';

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }} data-testid="configurations-tab">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, flexWrap: 'wrap', mb: 1.5 }}>
        <SearchField value={search} onChange={setSearch} placeholder="Search name, tenant or description" testId="config-search" />
        <FilterSelect
          label="State"
          value={enabled}
          anyLabel="Enabled and disabled"
          options={[
            { value: 'true', label: 'Enabled' },
            { value: 'false', label: 'Disabled' },
          ]}
          onChange={setEnabled}
          minWidth={190}
          testId="config-enabled-filter"
        />
        {filtered && (
          <Button
            size="small"
            onClick={() => {
              setSearch('');
              setEnabled('');
            }}
          >
            Clear filters
          </Button>
        )}
        <Box sx={{ flex: 1 }} />
        {canManage && (
          <Button
            variant="contained"
            startIcon={<AddIcon fontSize="small" />}
            component={RouterLink}
            to="/decision-engine/configurations/new"
            data-testid="new-configuration"
          >
            New configuration
          </Button>
        )}
      </Box>
      <ServerGrid<FraudRiskConfiguration>
        error={error}
        errorTitle="Could not load configurations"
        onRetry={() => refetch()}
        rows={rows}
        columns={columns(health.data)}
        getRowId={(row) => row.id}
        rowCount={rows.length}
        loading={loading && !data}
        hideFooter
        disableColumnSorting
        getRowHeight={() => 'auto'}
        slots={{ row: ConfigurationRow }}
        onOpenRow={(row) => navigate(`/decision-engine/configurations/${row.id}`)}
        empty={{
          icon: <TuneOutlined />,
          title: filtered ? 'No configuration matches' : 'No configurations yet',
          body: filtered
            ? 'Try another search or state.'
            : 'Without a configuration the engine scores payments with the shipped default rules. Create one to tune rules per tenant and payment type.',
        }}
        aria-label="Configurations"
        sx={{ '& .MuiDataGrid-cell': { py: 1 } }}
      />
      <Typography variant="caption" sx={{ color: 'text.disabled', mt: 1 }}>
        Listed in the order the engine considers them: the most specific scope first, then the lowest priority number.
      </Typography>
      <Snackbar open={!!notice} autoHideDuration={5000} onClose={() => setNotice(null)} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}>
        {notice ? (
          <Alert severity="success" variant="filled" onClose={() => setNotice(null)}>
            {notice}
          </Alert>
        ) : undefined}
      </Snackbar>
    </Box>
  );
}
